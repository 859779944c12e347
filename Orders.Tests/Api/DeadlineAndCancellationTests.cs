using System.Diagnostics;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Testing;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api;

/// <summary>docs/contract.md (deadlines and cancellation): deadlines and client cancellation reach the handler, which stops and is seen to stop.</summary>
public sealed class DeadlineAndCancellationTests : InProcessApiTest
{
    [Fact]
    public async Task DeadlineShorterThanTheInjectedDelay_IsDeadlineExceeded_AndTheHandlerObservesIt()
    {
        var requestId = Guid.NewGuid().ToString();
        var headers = new Metadata { { "x-request-id", requestId }, { "x-orders-delay-ms", "30000" } };
        await using var factory = await StartWarmKestrelAsync();
        using var channel = GrpcChannel.ForAddress(factory.ClientOptions.BaseAddress, new GrpcChannelOptions { HttpHandler = new ServerFirstDeadline() });
        var client = new OrderManagement.OrderManagementClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.getOrderAsync(new StringValue { Value = "101" }, headers, deadline: DateTime.UtcNow.AddSeconds(1)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var span = await factory.ServerSpanAsync(requestId);
        Assert.Equal("DEADLINE_EXCEEDED", span.RpcStatusName());
        Assert.Equal(4, span.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(true, span.GetTagItem("rpc.grpc.handler_cancelled"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.InRange((double)span.GetTagItem("rpc.grpc.deadline_ms")!, 1, 1000);
        Assert.Contains(span.Events, e => e.Name == "rpc.cancelled");
        // The 30 s delay was abandoned, not waited out.
        Assert.True(span.Duration < TimeSpan.FromSeconds(15), $"Handler ran {span.Duration}.");
        var ended = factory.Services.GetFakeLogCollector().GetSnapshot().Single(r => r.Message.Contains(requestId, StringComparison.Ordinal) && r.Message.Contains(" ended ", StringComparison.Ordinal));
        Assert.Matches(" ended DEADLINE_EXCEEDED after [0-9.]+ ms, handler cancelled: Deadline exceeded\\.;", ended.Message);
    }

    /// <summary>
    /// The injected delay holds every kind of call, not only unary ones: a streaming call whose deadline is shorter than
    /// the delay ends DEADLINE_EXCEEDED on the server with no message sent, where without the delay it would end OK at once.
    /// </summary>
    [Theory]
    [InlineData("searchOrders")]
    [InlineData("updateOrders")]
    [InlineData("processOrders")]
    public async Task StreamingCallsAreDelayedToo_ADeadlineShorterThanTheDelayEndsThemOnTheServer(string method)
    {
        var requestId = Guid.NewGuid().ToString();
        var headers = new Metadata { { "x-request-id", requestId }, { "x-orders-delay-ms", "30000" } };
        await using var factory = await StartWarmKestrelAsync();
        using var channel = GrpcChannel.ForAddress(factory.ClientOptions.BaseAddress, new GrpcChannelOptions { HttpHandler = new ServerFirstDeadline() });
        var client = new OrderManagement.OrderManagementClient(channel);
        var deadline = DateTime.UtcNow.AddSeconds(1);

        var error = await Assert.ThrowsAsync<RpcException>(() => method switch
        {
            "searchOrders" => client.searchOrders(new StringValue { Value = "Item" }, headers, deadline).ResponseStream.MoveNext(),
            "updateOrders" => CompleteAndAwaitAsync(client.updateOrders(headers, deadline)),
            _ => CompleteAndReadAsync(client.processOrders(headers, deadline)),
        });

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var span = await factory.ServerSpanAsync(requestId);
        Assert.Equal($"ecommerce.OrderManagement/{method}", span.DisplayName);
        Assert.Equal("DEADLINE_EXCEEDED", span.RpcStatusName());
        Assert.Equal(true, span.GetTagItem("rpc.grpc.handler_cancelled"));
        Assert.Equal(0, span.GetTagItem("rpc.grpc.messages_sent"));
    }

    [Fact]
    public async Task ProcessOrders_CancelledMidStream_StopsTheServerHandler()
    {
        var requestId = Guid.NewGuid().ToString();
        using var cancellation = new CancellationTokenSource();
        using var call = Client.processOrders(new Metadata { { "x-request-id", requestId } }, cancellationToken: cancellation.Token);
        foreach (var id in new[] { "101", "102", "103" })
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = id });
        }

        // The sample orders share one (empty) destination: the third fills the batch and flushes one shipment.
        using var readTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.True(await call.ResponseStream.MoveNext(readTimeout.Token));
        Assert.Equal(["101", "102", "103"], call.ResponseStream.Current.OrdersList.Select(o => o.Id));
        await cancellation.CancelAsync();

        var afterCancel = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(readTimeout.Token));
        Assert.Equal(StatusCode.Cancelled, afterCancel.StatusCode);
        var span = await Factory.ServerSpanAsync(requestId);
        Assert.Equal("CANCELLED", span.RpcStatusName());
        Assert.Equal(true, span.GetTagItem("rpc.grpc.handler_cancelled"));
        Assert.Equal(3, span.GetTagItem("rpc.grpc.messages_received"));
        Assert.Equal(1, span.GetTagItem("rpc.grpc.messages_sent"));
        var cancelled = Assert.Single(span.Events, e => e.Name == "rpc.cancelled");
        Assert.Contains(cancelled.Tags, tag => tag is { Key: "rpc.grpc.messages_received", Value: 3 });
        var ended = Factory.Services.GetFakeLogCollector().GetSnapshot().Single(r => r.Message.Contains(requestId, StringComparison.Ordinal) && r.Message.Contains(" ended ", StringComparison.Ordinal));
        Assert.Matches(" ended CANCELLED after [0-9.]+ ms, handler cancelled: The call was cancelled by the client\\.;", ended.Message);
    }

    /// <summary>The API on real Kestrel, answered one call: over the in-memory TestServer the client's deadline timer races
    /// the response, and a cold host on a busy machine would spend a deadline's budget before the injected delay.</summary>
    private static async Task<OrdersApiFactory> StartWarmKestrelAsync()
    {
        var factory = new OrdersApiFactory();
        factory.UseKestrel(FreePort.Next());
        try
        {
            factory.StartServer();
            using var channel = GrpcChannel.ForAddress(factory.ClientOptions.BaseAddress);
            await new OrderManagement.OrderManagementClient(channel).getOrderAsync(new StringValue { Value = "101" });
            return factory;
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
    }

    private static async Task CompleteAndAwaitAsync(AsyncClientStreamingCall<Order, StringValue> call)
    {
        using (call)
        {
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        }
    }

    private static async Task CompleteAndReadAsync(AsyncDuplexStreamingCall<StringValue, CombinedShipment> call)
    {
        using (call)
        {
            await call.RequestStream.CompleteAsync();
            await call.ResponseStream.MoveNext();
        }
    }
}
