using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>The store's one writer over a real SQLite file: writes that wait share a transaction, and fail or cancel alone.</summary>
public sealed class GroupCommitWriterTests : IAsyncLifetime
{
    private readonly string database = Path.Combine(Directory.CreateTempSubdirectory("orders-writer-").FullName, "writes.db");

    public GroupCommitWriterTests()
    {
        Store = new Writes(new ConnectionPool(async (_, cancellationToken) =>
        {
            var connection = new SqliteConnection($"Data Source={database}");
            await connection.OpenAsync(cancellationToken);
            return connection;
        }, maxIdle: 4));
    }

    // Disposed in DisposeAsync, as IAsyncLifetime's end of each test.
    private Writes Store { get; }

    private GroupCommitWriter Writer => Store.Writer;

    public async Task InitializeAsync()
    {
        var setup = await Store.Connections.RentAsync(CancellationToken.None);
        await setup.Command("PRAGMA journal_mode = WAL", null).ExecuteNonQueryAsync();
        await setup.Command("CREATE TABLE writes (id INTEGER PRIMARY KEY)", null).ExecuteNonQueryAsync();
        await Store.Connections.ReturnAsync(setup, healthy: true);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(database)!, recursive: true);
    }

    [Fact]
    public async Task WritesQueuedWhileATransactionRunsCommitTogetherInTheNext()
    {
        var (first, holdFirst) = await WriteHeldUntilReleasedAsync(id: 0);
        var transactions = new ConcurrentBag<DbTransaction>();

        // Queued behind the first transaction, which holds the writer until released.
        var queued = Enumerable.Range(1, 50).Select(id => Writer.WriteAsync(async (connection, transaction) =>
        {
            transactions.Add(transaction);
            return await Insert(connection, transaction, id);
        }, CancellationToken.None)).ToArray();
        Assert.All(queued, write => Assert.False(write.IsCompleted));
        holdFirst.SetResult();

        await Task.WhenAll([first, .. queued]);
        Assert.Single(transactions.Distinct());
        Assert.Equal(51, await CountAsync());
    }

    [Fact]
    public async Task ATransactionTakesAtMostMaxBatchWrites()
    {
        var (first, holdFirst) = await WriteHeldUntilReleasedAsync(id: 0);
        var transactions = new ConcurrentDictionary<DbTransaction, int>();
        var queued = Enumerable.Range(1, GroupCommitWriter.MaxBatch + 88).Select(id => Writer.WriteAsync(async (connection, transaction) =>
        {
            transactions.AddOrUpdate(transaction, 1, (_, count) => count + 1);
            return await Insert(connection, transaction, id);
        }, CancellationToken.None)).ToArray();
        holdFirst.SetResult();

        await Task.WhenAll([first, .. queued]);
        Assert.Equal([88, GroupCommitWriter.MaxBatch], transactions.Values.Order());
    }

    [Fact]
    public async Task AFailingWriteFailsAloneAndTheOthersOfItsBatchCommit()
    {
        var (first, holdFirst) = await WriteHeldUntilReleasedAsync(id: 0);
        var before = Writer.WriteAsync((connection, transaction) => Insert(connection, transaction, 1), CancellationToken.None);
        var duplicate = Writer.WriteAsync((connection, transaction) => Insert(connection, transaction, 0), CancellationToken.None);
        var after = Writer.WriteAsync((connection, transaction) => Insert(connection, transaction, 2), CancellationToken.None);
        holdFirst.SetResult();

        await Task.WhenAll(first, before, after);
        var failure = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(19, failure.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(3, await CountAsync());
    }

    [Fact]
    public async Task ABatchWhoseCommitIsNotConfirmedFailsEveryWrite_WithoutCommittingThemAgainOneByOne()
    {
        var (first, holdFirst) = await WriteHeldUntilReleasedAsync(id: 0);
        var batch = Enumerable.Range(1, 3).Select(id => Writer.WriteAsync((connection, transaction) => Insert(connection, transaction, id), CancellationToken.None)).ToArray();
        var notConfirmed = new OrderStoreUnavailableException("Committed to a file that is no longer the store's.");
        var confirmations = 0;
        Store.Confirm = _ => Interlocked.Increment(ref confirmations) == 1 ? ValueTask.CompletedTask : ValueTask.FromException(notConfirmed);
        holdFirst.SetResult();

        await first;
        foreach (var write in batch)
        {
            Assert.Same(notConfirmed, await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => write));
        }

        Assert.Equal(2, confirmations);
        Assert.Equal(4, await CountAsync());
    }

    [Fact]
    public async Task AWriteCancelledBeforeItsTransactionStartsIsNeverRun()
    {
        var (first, holdFirst) = await WriteHeldUntilReleasedAsync(id: 0);
        using var cancel = new CancellationTokenSource();
        var cancelled = Writer.WriteAsync((connection, transaction) => Insert(connection, transaction, 1), cancel.Token);
        await cancel.CancelAsync();
        holdFirst.SetResult();

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, await CountAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Writer.WriteAsync((_, _) => Task.FromResult(0), new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task AWriteIsAcknowledgedOnlyOnceAnotherConnectionCanReadIt()
    {
        var writes = Enumerable.Range(0, 20).Select(id => Task.Run(async () =>
        {
            await Writer.WriteAsync((connection, transaction) => Insert(connection, transaction, id), CancellationToken.None);
            // Committed means visible to every other connection, this very moment.
            return await ExistsAsync(id);
        })).ToArray();

        Assert.All(await Task.WhenAll(writes), Assert.True);
    }

    [Fact]
    public async Task ADisposedWriterRefusesWritesAndFinishesTheQueuedOnes()
    {
        var queued = Enumerable.Range(0, 10).Select(id => Writer.WriteAsync((connection, transaction) => Insert(connection, transaction, id), CancellationToken.None)).ToArray();

        await Writer.DisposeAsync();

        await Task.WhenAll(queued);
        Assert.Equal(10, await CountAsync());
        Assert.Throws<ObjectDisposedException>(() => { _ = Writer.WriteAsync((_, _) => Task.FromResult(0), CancellationToken.None); });
    }

    // A first write that keeps its transaction (and so the writer) open until released, returned once it runs: every
    // write queued after this returns waits for the next transaction.
    private async Task<(Task<int> Write, TaskCompletionSource Release)> WriteHeldUntilReleasedAsync(int id)
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = Writer.WriteAsync(async (connection, transaction) =>
        {
            running.SetResult();
            await release.Task;
            return await Insert(connection, transaction, id);
        }, CancellationToken.None);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return (write, release);
    }

    private static Task<int> Insert(PreparedConnection connection, DbTransaction transaction, int id) =>
        connection.Command("INSERT INTO writes (id) VALUES (@id)", transaction, ("@id", id)).ExecuteNonQueryAsync();

    private async Task<long> CountAsync()
    {
        await using var reader = new SqliteConnection($"Data Source={database};Pooling=False");
        await reader.OpenAsync();
        await using var count = reader.CreateCommand();
        count.CommandText = "SELECT count(*) FROM writes";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private async Task<bool> ExistsAsync(int id)
    {
        await using var reader = new SqliteConnection($"Data Source={database};Pooling=False");
        await reader.OpenAsync();
        await using var exists = reader.CreateCommand();
        exists.CommandText = $"SELECT count(*) FROM writes WHERE id = {id}";
        return (long)(await exists.ExecuteScalarAsync())! == 1;
    }

    // The pool and its writer, disposed together (the writer first: it still commits what is queued).
    private sealed class Writes : IAsyncDisposable
    {
        public Writes(ConnectionPool connections)
        {
            Connections = connections;
            Writer = new GroupCommitWriter(connections, connection => Confirm(connection));
        }

        public ConnectionPool Connections { get; }

        public GroupCommitWriter Writer { get; }

        /// <summary>The writer's check of each commit; confirms every one unless a test says otherwise.</summary>
        public Func<PreparedConnection, ValueTask> Confirm { get; set; } = _ => ValueTask.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            await Writer.DisposeAsync();
            await Connections.DisposeAsync();
        }
    }
}
