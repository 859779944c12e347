using Ecommerce;
using Grpc.Core;
using Orders.Client.Calls;

namespace Orders.Tests.Api;

/// <summary>The server span of a call whose id and x-request-id hold control characters carries both escaped, as its log lines do.</summary>
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
}
