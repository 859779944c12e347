using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OrdersAspire.Shared;

namespace Orders.Tests.Api;

/// <summary>The happy path of every RPC (docs/contract.md), in process through the full pipeline.</summary>
public sealed class OrderManagementServiceTests : InProcessApiTest
{
    [Fact]
    public async Task GetOrder_ReturnsTheSampleOrder()
    {
        var order = await Client.getOrderAsync(new StringValue { Value = "102" });

        Assert.Equal(SampleOrders.All[1], order);
    }

    [Fact]
    public async Task AddOrder_AssignsAFreshIdAndStoresTheOrder()
    {
        var sent = new Order { Id = "101", Items = { "Book" }, Price = 12.5f, Description = "gift", Destination = "Paris" };

        var first = await Client.addOrderAsync(sent);
        var second = await Client.addOrderAsync(sent);

        Assert.DoesNotContain(first.Value, new[] { "", "101", second.Value });
        var stored = await Client.getOrderAsync(first);
        Assert.Equal(first.Value, stored.Id);
        Assert.Equal(sent.Items, stored.Items);
        Assert.Equal(12.5f, stored.Price);
        Assert.Equal("gift", stored.Description);
        Assert.Equal("Paris", stored.Destination);
        Assert.Equal("Sample order description.", (await Client.getOrderAsync(new StringValue { Value = "101" })).Description);
    }

    [Fact]
    public async Task SearchOrders_StreamsOrdinalCaseSensitiveMatchesInStableOrder()
    {
        Assert.Equal(["101", "103"], await SearchAsync("Item - A"));
        Assert.Empty(await SearchAsync("item - a"));
        Assert.Equal(["101", "102", "103", "104"], await SearchAsync(""));
    }

    [Fact]
    public async Task SearchOrders_StreamsEveryMatchWhenMostWritesAreBuffered()
    {
        // More matches than one flush covers (64), and not a multiple of it: the tail comes with the end of the call.
        var ids = Enumerable.Range(1, 150).Select(i => $"bulk-{i:D3}").ToArray();
        using (var call = Client.updateOrders())
        {
            foreach (var id in ids)
            {
                await call.RequestStream.WriteAsync(new Order { Id = id, Items = { "Bulk item" }, Price = 1, Destination = "Depot" });
            }

            await call.RequestStream.CompleteAsync();
            await call;
        }

        Assert.Equal(ids, await SearchAsync("Bulk item"));
    }

    [Fact]
    public async Task UpdateOrders_UpsertsAndRepliesWithIdsInArrivalOrder()
    {
        // Every field of both sample orders differs from the seeded one (101 loses its description), so each must be replaced.
        Order[] sent =
        [
            new() { Id = "103", Items = { "Item - Z" }, Price = 5, Description = "rewrapped", Destination = "Berlin" },
            new() { Id = "101", Items = { "Item - Y", "Item - W" }, Price = 6, Destination = "Lisbon" },
            new() { Id = "205", Items = { "Item - X" }, Price = 7, Description = "new", Destination = "Oslo" },
        ];
        using var call = Client.updateOrders();
        foreach (var order in sent)
        {
            await call.RequestStream.WriteAsync(order);
        }

        await call.RequestStream.CompleteAsync();

        Assert.Equal("Updated IDs: 103 101 205", (await call).Value);
        foreach (var order in sent)
        {
            Assert.Equal(order, await Client.getOrderAsync(new StringValue { Value = order.Id }));
        }
    }

    [Fact]
    public async Task ProcessOrders_GroupsByDestinationFlushesEveryThreeAndAtTheEnd()
    {
        await SetDestinationsAsync();
        using var call = Client.processOrders();
        foreach (var id in new[] { "101", "102", "103", "104" })
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = id });
        }

        await call.RequestStream.CompleteAsync();
        var shipments = await call.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal(
            [("PROCESSED", "Mountain View, CA", "101 103"), ("PROCESSED", "San Jose, CA", "102"), ("PROCESSED", "San Jose, CA", "104")],
            shipments.Select(Describe));
        Assert.Equal(3, shipments.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public async Task ProcessOrders_StartsAFreshBatchAfterEveryFlush()
    {
        await SetDestinationsAsync();
        using var call = Client.processOrders();
        foreach (var id in new[] { "101", "102", "103", "101", "102", "103", "104" })
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = id });
        }

        await call.RequestStream.CompleteAsync();
        var shipments = await call.ResponseStream.ReadAllAsync().ToListAsync();

        // The second batch of three groups exactly like the first; only the leftover 104 ships at the end.
        Assert.Equal(
            [
                ("PROCESSED", "Mountain View, CA", "101 103"), ("PROCESSED", "San Jose, CA", "102"),
                ("PROCESSED", "Mountain View, CA", "101 103"), ("PROCESSED", "San Jose, CA", "102"),
                ("PROCESSED", "San Jose, CA", "104"),
            ],
            shipments.Select(Describe));
    }

    [Fact]
    public async Task ProcessOrders_FlushesAfterTheConfiguredBatchSize()
    {
        await using var factory = new OrdersApiFactory(new Dictionary<string, string?> { ["Orders:Processing:BatchSize"] = "1" });
        using var call = factory.CreateOrdersClient().processOrders();
        await call.RequestStream.WriteAsync(new StringValue { Value = "101" });

        // With a batch of one, the shipment comes while the request stream is still open.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal("101", Assert.Single(call.ResponseStream.Current.OrdersList).Id);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(timeout.Token));
    }

    [Fact]
    public async Task ProcessOrders_AnswersUnknownIdsInBandAndCarriesOn()
    {
        await SetDestinationsAsync();
        using var call = Client.processOrders();
        await call.RequestStream.WriteAsync(new StringValue { Value = "101" });
        await call.RequestStream.WriteAsync(new StringValue { Value = "999" });

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var notFound = call.ResponseStream.Current;
        Assert.Equal("NOT_FOUND", notFound.Status);
        Assert.Matches("^[0-9a-f]{32}$", notFound.Id);
        Assert.Equal(new Order { Id = "999" }, Assert.Single(notFound.OrdersList));

        await call.RequestStream.WriteAsync(new StringValue { Value = "102" });
        await call.RequestStream.CompleteAsync();
        var rest = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Equal([("PROCESSED", "Mountain View, CA", "101"), ("PROCESSED", "San Jose, CA", "102")], rest.Select(Describe));
    }

    [Fact]
    public async Task DeleteOrder_RemovesTheOrder()
    {
        await Client.deleteOrderAsync(new StringValue { Value = "104" });

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.getOrderAsync(new StringValue { Value = "104" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private async Task<List<string>> SearchAsync(string query)
    {
        using var call = Client.searchOrders(new StringValue { Value = query });
        return await call.ResponseStream.ReadAllAsync().Select(order => order.Id).ToListAsync();
    }

    // docs/contract.md's example: 101, 103 → Mountain View; 102, 104 → San Jose.
    private async Task SetDestinationsAsync()
    {
        using var call = Client.updateOrders();
        foreach (var (id, destination) in new[] { ("101", "Mountain View, CA"), ("102", "San Jose, CA"), ("103", "Mountain View, CA"), ("104", "San Jose, CA") })
        {
            var order = await Client.getOrderAsync(new StringValue { Value = id });
            order.Destination = destination;
            await call.RequestStream.WriteAsync(order);
        }

        await call.RequestStream.CompleteAsync();
        await call;
    }

    private static (string Status, string Destination, string Ids) Describe(CombinedShipment shipment) =>
        (shipment.Status, shipment.OrdersList[0].Destination, string.Join(' ', shipment.OrdersList.Select(o => o.Id)));
}
