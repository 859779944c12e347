using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace Orders.Tests.Api;

/// <summary>What a call acknowledged survives a restart on the same database file; seeding happens once.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("orders-durability-").FullName;

    [Fact]
    public async Task AcknowledgedWritesSurviveARestart_AndDeletedSampleOrdersStayDeleted()
    {
        string added;
        await using (var first = new OrdersApiFactory(dataDirectory: dataDirectory))
        {
            var client = first.CreateOrdersClient();
            added = (await client.addOrderAsync(new Order { Items = { "Durable" }, Price = 3 })).Value;
            await client.deleteOrderAsync(new StringValue { Value = "101" });
        }

        await using var second = new OrdersApiFactory(dataDirectory: dataDirectory);
        var restarted = second.CreateOrdersClient();

        Assert.Equal(["Durable"], (await restarted.getOrderAsync(new StringValue { Value = added })).Items);
        var deleted = await Assert.ThrowsAsync<RpcException>(() => restarted.getOrderAsync(new StringValue { Value = "101" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, deleted.StatusCode);
        Assert.Equal("102", (await restarted.getOrderAsync(new StringValue { Value = "102" })).Id);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
