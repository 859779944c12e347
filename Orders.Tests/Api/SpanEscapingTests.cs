using System.Diagnostics;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orders.Client.Calls;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>The server span of a call whose id, x-request-id or status detail hold control characters carries them escaped, as its log lines do.</summary>
public sealed class SpanEscapingTests
{
    [Fact]
    public async Task TheRequestIdAndTheNotFoundEventsOrderId_AreEscapedOnTheSpan()
    {
        await using var api = new OrdersApiFactory();
        var requestId = Guid.NewGuid().ToString("N");

        await api.CreateOrdersClient().ProcessAsync(
            ["forged\nline\u001B[2J"], new CallOptions(new Metadata { { "x-request-id", $"{requestId}\u001B[2J" } }),
            cancelAfter: null, keepRequestStreamOpen: false, onShipment: _ => { });

        var span = await api.ServerSpanAsync($@"{requestId}\u001B[2J");
        var notFound = Assert.Single(span.Events, e => e.Name == "order.not_found");
        Assert.Equal(@"forged\nline\u001B[2J", Assert.Single(notFound.Tags, tag => tag.Key == "order.id").Value);
    }

    [Fact]
    public async Task AServerFaultsDetail_IsEscapedInTheSpanStatus()
    {
        // A status raised below the service reaches the caller as it is; only what is printed of it is escaped.
        await using var api = new OrdersApiFactory(configureServices: services =>
            services.AddSingleton<IOrderStore>(new FailingOrderStore(() => new RpcException(new Status(StatusCode.Unavailable, "down\r\nforged")))));
        var requestId = Guid.NewGuid().ToString("N");

        await Assert.ThrowsAsync<RpcException>(() => api.CreateOrdersClient().getOrderAsync(
            new StringValue { Value = "101" }, new Metadata { { "x-request-id", requestId } }).ResponseAsync);

        var span = await api.ServerSpanAsync(requestId);
        Assert.Equal((ActivityStatusCode.Error, @"down\r\nforged"), (span.Status, span.StatusDescription));
    }
}
