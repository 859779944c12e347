using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;

namespace Orders.Tests.Api;

/// <summary>
/// x-request-id and x-orders-delay-ms are read as grpc-dotnet's request metadata gives them: an absent header is none,
/// a repeated one is one value, its values joined by ','.
/// </summary>
public sealed class CallHeaderTests : InProcessApiTest
{
    private static readonly StringValue Order101 = new() { Value = "101" };

    [Fact]
    public async Task ARepeatedRequestId_IsItsValuesJoinedByAComma()
    {
        var (first, second) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        await Client.getOrderAsync(Order101, new Metadata { { OrdersHeaders.RequestId, first }, { OrdersHeaders.RequestId, second } });

        var span = await Factory.ServerSpanAsync($"{first},{second}");
        Assert.Equal("ecommerce.OrderManagement/getOrder", span.DisplayName);
        Assert.Equal($"{first},{second}", CallEnd().GetStructuredStateValue("OrdersRequestId"));
    }

    [Fact]
    public async Task AnAbsentRequestId_IsNone()
    {
        await Client.getOrderAsync(Order101);

        Assert.Null(CallEnd().GetStructuredStateValue("OrdersRequestId"));
    }

    [Fact]
    public async Task ARepeatedDelay_IsItsValuesJoined_WhichIsNoWholeNumberOfMilliseconds()
    {
        var refusal = await Assert.ThrowsAsync<RpcException>(() =>
            Client.getOrderAsync(Order101, new Metadata { { OrdersHeaders.DelayMs, "1" }, { OrdersHeaders.DelayMs, "2" } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        Assert.Equal($"Invalid {OrdersHeaders.DelayMs} header.", refusal.Status.Detail);
    }

    /// <summary>The one call's end record: each test has its own server.</summary>
    private FakeLogRecord CallEnd() => Assert.Single(Factory.Services.GetFakeLogCollector().GetSnapshot(), ServerCallRecords.IsCallEnd);
}
