using System.Diagnostics;
using Ecommerce;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orders.Tests.Api.BadInput;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// docs/contract.md (Deadlines): a grpc-timeout already over when the call arrives is DEADLINE_EXCEEDED at once, with
/// no work done: not the 2 s injected delay, not the store write.
/// </summary>
public sealed class ExpiredDeadlineTests(BadInputServer server) : IClassFixture<BadInputServer>
{
    [Theory]
    [InlineData("0n")]
    [InlineData("99n")]
    [InlineData("100n")]
    [InlineData("1u")]
    [InlineData("1m")]
    public async Task AddOrder_WithATimeoutOverOnArrival_IsDeadlineExceededAtOnce_AndStoresNothing(string timeout)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var item = $"expired-{requestId}";
        var order = new Order { Items = { item }, Price = 1 };
        var headers = new Dictionary<string, string> { ["grpc-timeout"] = timeout, ["x-orders-delay-ms"] = "2000" };
        var clock = Stopwatch.StartNew();

        var outcome = await RawGrpc.SendAsync(server.Http, "addOrder", RawGrpcFrames.Frame(order.ToByteArray()), requestId, headers);

        Assert.Equal(StatusCode.DeadlineExceeded, outcome.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"The expired call took {clock.Elapsed}: it was given the injected delay.");
        var span = await server.ServerSpanAsync(requestId);
        Assert.Equal("DEADLINE_EXCEEDED", span.RpcStatusName());
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.InRange((double)span.GetTagItem("rpc.grpc.deadline_ms")!, double.MinValue, 1);
        var found = new List<Order>();
        using var search = server.Client.searchOrders(new StringValue { Value = item });
        await foreach (var stored in search.ResponseStream.ReadAllAsync())
        {
            found.Add(stored);
        }

        Assert.Empty(found);
    }
}
