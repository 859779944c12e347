using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>The store's pool of open, prepared connections: reuse, what a failure does to a connection, and the idle bound.</summary>
public sealed class ConnectionPoolTests
{
    private readonly List<DbConnection> opened = [];

    [Fact]
    public async Task AHealthyConnectionIsRentedAgainWithItsPreparedStatements()
    {
        await using var pool = Pool(maxIdle: 2);
        var first = await pool.RentAsync(CancellationToken.None);
        var command = first.Command("SELECT @n + 1", null, ("@n", 1));
        Assert.Equal(2L, await command.ExecuteScalarAsync());
        await pool.ReturnAsync(first, healthy: true);

        var again = await pool.RentAsync(CancellationToken.None);

        Assert.Same(first, again);
        Assert.Same(command, again.Command("SELECT @n + 1", null, ("@n", 41)));
        Assert.Equal(42L, await command.ExecuteScalarAsync());
        Assert.Single(opened);
    }

    [Fact]
    public async Task AConnectionThatSawAFailureIsClosedNotReused()
    {
        await using var pool = Pool(maxIdle: 2);
        var failed = await pool.RentAsync(CancellationToken.None);

        await pool.ReturnAsync(failed, healthy: false);
        var next = await pool.RentAsync(CancellationToken.None);

        Assert.NotSame(failed, next);
        Assert.Equal(ConnectionState.Closed, opened[0].State);
        Assert.Equal(2, opened.Count);
    }

    [Fact]
    public async Task AtMostMaxIdleStayOpen_AndDisposingClosesThem()
    {
        var pool = Pool(maxIdle: 2);
        var rented = new List<PreparedConnection>();
        for (var i = 0; i < 4; i++)
        {
            rented.Add(await pool.RentAsync(CancellationToken.None));
        }

        foreach (var connection in rented)
        {
            await pool.ReturnAsync(connection, healthy: true);
        }

        Assert.Equal([ConnectionState.Open, ConnectionState.Open, ConnectionState.Closed, ConnectionState.Closed], opened.Select(c => c.State));
        await pool.DisposeAsync();
        Assert.All(opened, connection => Assert.Equal(ConnectionState.Closed, connection.State));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pool.RentAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheIdleBoundHoldsRoundAfterRound()
    {
        await using var pool = Pool(maxIdle: 2);
        for (var round = 0; round < 3; round++)
        {
            var rented = new List<PreparedConnection>();
            for (var i = 0; i < 3; i++)
            {
                rented.Add(await pool.RentAsync(CancellationToken.None));
            }

            foreach (var connection in rented)
            {
                await pool.ReturnAsync(connection, healthy: true);
            }

            // Two stay open each round (the ones kept from the last round come back first); the third is closed.
            Assert.Equal(2, opened.Count(c => c.State == ConnectionState.Open));
        }

        Assert.Equal(5, opened.Count);
    }

    [Fact]
    public async Task AConnectionReturnedAfterThePoolIsDisposedIsClosed()
    {
        var pool = Pool(maxIdle: 2);
        var rented = await pool.RentAsync(CancellationToken.None);

        await pool.DisposeAsync();
        await pool.ReturnAsync(rented, healthy: true);

        Assert.Equal(ConnectionState.Closed, opened.Single().State);
    }

    [Fact]
    public async Task Retired_IdleConnectionsCloseAtOnce_RentedOnesWhenGivenBack_AndNoNewOneOpensBeforeThen()
    {
        await using var pool = Pool(maxIdle: 2);
        var idle = await pool.RentAsync(CancellationToken.None);
        var rented = await pool.RentAsync(CancellationToken.None);
        await pool.ReturnAsync(idle, healthy: true);

        Assert.True(await pool.RetireAsync(rented.Generation, "The database at /data/orders.db was replaced"));
        Assert.False(await pool.RetireAsync(rented.Generation, "retired twice"));

        Assert.Equal([ConnectionState.Closed, ConnectionState.Open], opened.Select(connection => connection.State));
        var refused = await Assert.ThrowsAsync<OrderStoreUnavailableException>(async () => await pool.RentAsync(CancellationToken.None));
        Assert.StartsWith("The database at /data/orders.db was replaced; 1 connections to the database the store stopped using are still in use", refused.Message, StringComparison.Ordinal);
        Assert.Equal("The database at /data/orders.db was replaced", refused.CallerReason);
        await pool.ReturnAsync(rented, healthy: true);
        Assert.Equal(ConnectionState.Closed, opened[1].State);
        var fresh = await pool.RentAsync(CancellationToken.None);
        Assert.Same(opened[2], fresh.Connection);
        await pool.ReturnAsync(fresh, healthy: true);
    }

    private ConnectionPool Pool(int maxIdle) => new(async (_, cancellationToken) =>
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        opened.Add(connection);
        return connection;
    }, maxIdle);
}
