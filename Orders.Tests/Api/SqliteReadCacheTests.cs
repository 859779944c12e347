using System.Diagnostics;
using Ecommerce;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orders.Api.Options;
using Orders.Api.Storage;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// getOrder's cache on SQLite serves an order again only while the database's WAL index shows no commit since it was
/// read: a commit through the store, through another connection or from another process (Python's own SQLite) is seen
/// by the very next read, and a deleted order is gone at once.
/// </summary>
public sealed class SqliteReadCacheTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("orders-read-cache-").FullName;

    public SqliteReadCacheTests() =>
        Store = new SqliteOrderStore($"Data Source={DatabasePath}", UnloggedAvailability.Create(), NullLogger<SqliteOrderStore>.Instance, new StorageOptions().ReadCacheBytes);

    // Disposed in DisposeAsync, as IAsyncLifetime's end of each test.
    private SqliteOrderStore Store { get; }

    private string DatabasePath => Path.Combine(folder, "orders.db");

    public Task InitializeAsync() => Store.InitializeAsync(seedSampleData: true, CancellationToken.None);

    [Fact]
    public async Task ARepeatedRead_IsTheKeptOrder_AndWithTheCacheOff_ReadAgain()
    {
        var first = await GetAsync("101");
        Assert.Same(first, await GetAsync("101"));
        Assert.Equal(first, await GetAsync("101"));

        await using var uncached = new SqliteOrderStore($"Data Source={DatabasePath}", UnloggedAvailability.Create(), NullLogger<SqliteOrderStore>.Instance, readCacheBytes: 0);
        await uncached.InitializeAsync(seedSampleData: false, CancellationToken.None);
        var read = await uncached.GetAsync("101", CancellationToken.None);
        Assert.Equal(first, read);
        Assert.NotSame(read, await uncached.GetAsync("101", CancellationToken.None));
    }

    [Fact]
    public async Task ACommitThroughTheStore_IsSeenByTheNextRead_AndADeleteAtOnce()
    {
        for (var round = 0; round < 20; round++)
        {
            var kept = await GetAsync("101");
            Assert.Same(kept, await GetAsync("101"));

            await Store.UpsertAllAsync([new Order(kept) { Description = $"through the store, round {round}" }], CancellationToken.None);

            Assert.Equal($"through the store, round {round}", (await GetAsync("101")).Description);
        }

        await Store.DeleteAsync("101", CancellationToken.None);
        Assert.Null(await Store.GetAsync("101", CancellationToken.None));
    }

    [Fact]
    public async Task ACommitThroughAnotherConnection_IsSeenByTheNextRead()
    {
        await using var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await other.OpenAsync();
        for (var round = 0; round < 20; round++)
        {
            var kept = await GetAsync("102");
            Assert.Same(kept, await GetAsync("102"));

            await using var update = other.CreateCommand();
            update.CommandText = "UPDATE orders SET description = $description WHERE id = '102'";
            update.Parameters.AddWithValue("$description", $"another connection, round {round}");
            Assert.Equal(1, await update.ExecuteNonQueryAsync());

            Assert.Equal($"another connection, round {round}", (await GetAsync("102")).Description);
        }
    }

    [Fact]
    [Requires(Need.Python)]
    public async Task ACommitByAnotherProcess_IsSeenByTheNextRead()
    {
        for (var round = 0; round < 5; round++)
        {
            var kept = await GetAsync("103");
            Assert.Same(kept, await GetAsync("103"));

            // Python's sqlite3 module: another process, and another build of SQLite, writing the same file.
            await PythonUpdateAsync("103", $"another process, round {round}");

            Assert.Equal($"another process, round {round}", (await GetAsync("103")).Description);
        }
    }

    [Fact]
    public async Task TheWalIndexHeader_ChangesWithACommit_NotWithARead()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "SELECT count(*) FROM orders");
        var index = SqliteWalIndex.Open(connection.Handle!);
        Assert.NotNull(index);

        Assert.True(index.TryRead(out var before));
        await ExecuteAsync(connection, "SELECT * FROM orders");
        Assert.True(index.TryRead(out var afterARead));
        await ExecuteAsync(connection, "UPDATE orders SET price = price + 1 WHERE id = '101'");
        Assert.True(index.TryRead(out var afterACommit));

        Assert.True(before.SameAs(afterARead));
        Assert.False(afterARead.SameAs(afterACommit));
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<Order> GetAsync(string id) =>
        await Store.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"order {id} is not stored");

    private async Task PythonUpdateAsync(string id, string description)
    {
        var python = new ProcessStartInfo("python3")
        {
            ArgumentList =
            {
                "-c",
                """
                import sqlite3, sys
                connection = sqlite3.connect(sys.argv[1], timeout=30)
                with connection:
                    changed = connection.execute("UPDATE orders SET description = ? WHERE id = ?", (sys.argv[3], sys.argv[2])).rowcount
                connection.close()
                sys.exit(0 if changed == 1 else 3)
                """,
                DatabasePath, id, description,
            },
            RedirectStandardError = true,
        };
        using var process = Process.Start(python)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"python3 exited {process.ExitCode}: {error}");
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
