using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orders.Api.Options;
using Orders.Api.Storage;
using Orders.Tests.Infrastructure;
using ApiOrder = Ecommerce.Order;

namespace Orders.Tests.Api;

/// <summary>
/// The SQLite store serves only the database file at its path: once the file it opened is deleted or replaced, every
/// operation (reads too) is unavailable naming the path, no empty database takes its place, and whatever database is
/// at the path again is served without a restart.
/// </summary>
public sealed class SqliteFileStoreTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("orders-file-store-").FullName;

    public SqliteFileStoreTests() => Store = new SqliteOrderStore($"Data Source={DatabasePath}", UnloggedAvailability.Create(), Log, new StorageOptions().ReadCacheBytes);

    private FakeLogger<SqliteOrderStore> Log { get; } = new();

    // Disposed in DisposeAsync, as IAsyncLifetime's end of each test.
    private SqliteOrderStore Store { get; }

    private string DatabasePath => Path.Combine(folder, "orders.db");

    public Task InitializeAsync() => Store.InitializeAsync(seedSampleData: true, CancellationToken.None);

    [Fact]
    public async Task AFolderThatDoesNotExist_IsUnavailableNamingIt_AndServesOnceCreated()
    {
        var missing = Path.Combine(folder, "not-yet");
        var path = Path.Combine(missing, "orders.db");
        await using var store = new SqliteOrderStore($"Data Source={path}", UnloggedAvailability.Create(), Log, new StorageOptions().ReadCacheBytes);

        var error = await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.InitializeAsync(seedSampleData: true, CancellationToken.None));

        Assert.Equal(
            $"The folder {missing} of the SQLite database {path} does not exist: create it, or set ConnectionStrings:orders to a path in one that does",
            error.Message);
        Directory.CreateDirectory(missing);
        await store.InitializeAsync(seedSampleData: true, CancellationToken.None);
        Assert.NotNull(await store.GetAsync("101", CancellationToken.None));
    }

    [Fact]
    public async Task Deleted_EveryOperationIsUnavailableNamingThePath_NoEmptyDatabaseIsCreated_ARestoredOneServes()
    {
        var backup = await BackUpAsync();
        var added = await Store.AddAsync(Order("after the backup"), CancellationToken.None);
        File.Delete(DatabasePath);
        await PastTheReadRecheckAsync();

        AssertNamesThePath(await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => Store.PingAsync(CancellationToken.None)));
        var read = await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => Store.GetAsync(added, CancellationToken.None).AsTask());
        Assert.StartsWith($"The SQLite database {DatabasePath} does not exist: it was deleted while the service ran.", read.Message, StringComparison.Ordinal);
        AssertNamesThePath(await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => Store.AddAsync(Order("while deleted"), CancellationToken.None)));
        AssertNamesThePath(await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => Store.DeleteAsync("101", CancellationToken.None)));
        AssertNamesThePath(await Assert.ThrowsAsync<OrderStoreUnavailableException>(
            async () => await Store.SearchAsync("", CancellationToken.None).ToListAsync()));
        Assert.False(File.Exists(DatabasePath), "An empty database took the deleted one's place.");
        var warning = Assert.Single(Log.Collector.GetSnapshot(), record => record.Level >= LogLevel.Warning);
        Assert.Equal("SqliteDatabaseLost", warning.Id.Name);
        Assert.StartsWith($"The SQLite database {DatabasePath} is no longer the file the service opened", warning.Message, StringComparison.Ordinal);

        File.Copy(backup, DatabasePath);

        await Store.PingAsync(CancellationToken.None);
        Assert.Equal("101", (await Store.GetAsync("101", CancellationToken.None))?.Id);
        Assert.Null(await Store.GetAsync(added, CancellationToken.None));
        var afterRestore = await Store.AddAsync(Order("after the restore"), CancellationToken.None);
        Assert.Equal(["after the restore"], (await Store.GetAsync(afterRestore, CancellationToken.None))?.Items);
    }

    [Fact]
    public async Task Replaced_TheFirstOperationIsUnavailableNamingThePath_ThenTheNewFileServes()
    {
        var replacement = await BackUpAsync();
        var added = await Store.AddAsync(Order("only in the replaced file"), CancellationToken.None);
        File.Move(replacement, DatabasePath, overwrite: true);
        await PastTheReadRecheckAsync();

        // A read would see the replaced file's rows: orders the database at the path does not hold.
        AssertNamesThePath(await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => Store.GetAsync(added, CancellationToken.None).AsTask()));

        Assert.Null(await Store.GetAsync(added, CancellationToken.None));
        var afterReplace = await Store.AddAsync(Order("after the replacement"), CancellationToken.None);
        Assert.Equal(["after the replacement"], (await Store.GetAsync(afterReplace, CancellationToken.None))?.Items);
    }

    [Fact]
    public async Task Replaced_WhileReadsKeepEveryConnectionConfirmed_NoReadServesTheReplacedFileOnceTheIntervalPassed()
    {
        var replacement = await BackUpAsync();
        var added = await Store.AddAsync(Order("only in the replaced file"), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var hotReads = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Store.GetAsync(added, CancellationToken.None);
                }
                catch (OrderStoreUnavailableException)
                {
                }
            }
        })).ToArray();
        await Task.Delay(SqlOrderStore.ReadRecheckInterval * 5);

        File.Move(replacement, DatabasePath, overwrite: true);
        await PastTheReadRecheckAsync();

        for (var read = 0; read < 20; read++)
        {
            try
            {
                Assert.Null(await Store.GetAsync(added, CancellationToken.None));
            }
            catch (OrderStoreUnavailableException error)
            {
                AssertNamesThePath(error);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(hotReads);
    }

    [Fact]
    public async Task Replaced_AWriteCommittedToTheReplacedFileIsUnavailable_NotAcknowledged()
    {
        var replacement = await BackUpAsync();
        await Store.AddAsync(Order("before the replacement"), CancellationToken.None);
        File.Move(replacement, DatabasePath, overwrite: true);

        AssertNamesThePath(await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => Store.AddAsync(Order("met the replacement"), CancellationToken.None)));

        var next = await Store.AddAsync(Order("after the replacement"), CancellationToken.None);
        Assert.Equal(["after the replacement"], (await Store.GetAsync(next, CancellationToken.None))?.Items);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static ApiOrder Order(string item) => new() { Items = { item }, Price = 1, Destination = "here" };

    private void AssertNamesThePath(OrderStoreUnavailableException error) => Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);

    // A read may use a connection confirmed within the interval; past it, every connection is checked again.
    private static Task PastTheReadRecheckAsync() => Task.Delay(SqlOrderStore.ReadRecheckInterval * 2);

    private Task<string> BackUpAsync() => SqliteBackup.VacuumIntoAsync(DatabasePath, Path.Combine(folder, $"{Guid.NewGuid():N}.backup"));
}
