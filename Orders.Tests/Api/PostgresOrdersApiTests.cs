using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Orders.Api.Storage;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>The whole gRPC service over PostgreSQL, chosen only by the shape of ConnectionStrings:orders (as Aspire injects it).</summary>
[Collection(PostgresServerDefinition.Name)]
[Requires(Need.PostgreSql)]
public sealed class PostgresOrdersApiTests(PostgresServer postgres)
{
    [Fact]
    public async Task AnAspireShapedConnectionStringServesEveryCallFromPostgresAndKeepsOrdersAcrossARestart()
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:orders"] = postgres.ConnectionString(await postgres.CreateDatabaseAsync()) };
        string added;
        await using (var first = new OrdersApiFactory(settings))
        {
            var client = first.CreateOrdersClient();
            Assert.IsType<PostgresOrderStore>(first.Services.GetRequiredService<IOrderStore>());
            Assert.Equal(["Item - A", "Item - B"], (await client.getOrderAsync(new StringValue { Value = "101" })).Items);

            added = (await client.addOrderAsync(new Order { Items = { "Kept in PostgreSQL" }, Price = 5 })).Value;
            using var update = client.updateOrders();
            await update.RequestStream.WriteAsync(new Order { Id = "102", Items = { "Item - C", "Item - X" }, Price = 7 });
            await update.RequestStream.CompleteAsync();
            Assert.Equal("Updated IDs: 102", (await update).Value);
            await client.deleteOrderAsync(new StringValue { Value = "103" });

            // The connection string carries the password: it must not reach a log line or a span.
            Assert.DoesNotContain(first.Services.GetFakeLogCollector().GetSnapshot(), r => r.Message.Contains(postgres.Password, StringComparison.Ordinal));
            Assert.DoesNotContain(first.ExportedSpans.ToList().SelectMany(s => s.TagObjects), t => $"{t.Value}".Contains(postgres.Password, StringComparison.Ordinal));
        }

        await using var restarted = new OrdersApiFactory(settings);
        var search = restarted.CreateOrdersClient().searchOrders(new StringValue { Value = "" });

        var ids = new List<string>();
        await foreach (var order in search.ResponseStream.ReadAllAsync())
        {
            ids.Add(order.Id);
        }

        Assert.Equal(["101", "102", "104", added], ids);
    }
}
