using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using RpcStatusCode = Grpc.Core.StatusCode;

namespace Orders.Tests.Api;

/// <summary>
/// A write SQLite refuses as busy (SQLITE_BUSY: another connection held the database's write lock past the busy timeout)
/// is the store being unavailable for now (UNAVAILABLE with RetryInfo), not a fault of the service (INTERNAL). Shared
/// cache's table locks (SQLITE_LOCKED) cannot happen: the service refuses a connection string asking for it.
/// </summary>
public sealed class SqliteBusyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("orders-busy-").FullName;

    [Fact]
    public async Task AWriteBehindAnotherConnectionsLock_IsUnavailableWithRetryInfo_AndSucceedsOnceTheLockIsGone()
    {
        var connectionString = $"Data Source={Path.Combine(folder, "orders.db")}";
        // Microsoft.Data.Sqlite retries a locked statement until the command timeout: 1 s here instead of 30.
        await using var api = new OrdersApiFactory(
            new Dictionary<string, string?> { ["ConnectionStrings:orders"] = $"{connectionString};Default Timeout=1" }, dataDirectory: folder);
        var client = api.CreateOrdersClient();
        Assert.Equal("101", (await client.getOrderAsync(new StringValue { Value = "101" })).Id);
        await using var holder = new SqliteConnection(connectionString);
        await holder.OpenAsync();
        await ExecuteAsync(holder, "BEGIN EXCLUSIVE");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.addOrderAsync(
            new Order { Items = { "Blocked" }, Price = 1 }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);

        Assert.Equal((RpcStatusCode.Unavailable, "The order store is unavailable; retry later."), (error.StatusCode, error.Status.Detail));
        Assert.NotNull(error.GetRpcStatus()?.GetDetail<RetryInfo>());
        await ExecuteAsync(holder, "ROLLBACK");
        var id = (await client.addOrderAsync(new Order { Items = { "Unblocked" }, Price = 1 })).Value;
        Assert.Equal(["Unblocked"], (await client.getOrderAsync(new StringValue { Value = id })).Items);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
