using System.Data.Common;
using System.Threading.Channels;

namespace Orders.Api.Storage;

/// <summary>
/// The store's one writer. Writes queue up while a transaction commits; the next transaction takes every write waiting
/// (up to <see cref="MaxBatch"/>) and commits them together, so concurrent writers share one disk flush. A write's task
/// completes only after its transaction committed and the store confirmed the commit reached its database: an
/// acknowledged write is durable. If a batch fails, each of its writes is retried in a transaction of its own, so one bad
/// write never fails the others.
/// </summary>
public sealed class GroupCommitWriter : IAsyncDisposable
{
    /// <summary>Bounds a transaction's size, and so how long readers of the WAL wait behind one checkpoint.</summary>
    public const int MaxBatch = 512;

    private readonly Channel<PendingWrite> queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConnectionPool connections;
    private readonly Func<PreparedConnection, ValueTask> confirmCommitted;
    private readonly Task writing;

    /// <param name="confirmCommitted">Throws when what the connection just committed is not in the store's database.</param>
    public GroupCommitWriter(ConnectionPool connections, Func<PreparedConnection, ValueTask> confirmCommitted)
    {
        this.connections = connections;
        this.confirmCommitted = confirmCommitted;
        writing = Task.Run(WriteAllAsync);
    }

    /// <summary>
    /// Queues <paramref name="write"/>, run inside a transaction it shares with other writes. The token cancels it only
    /// until its transaction starts; from then on it commits with the others.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<PreparedConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(write, cancellationToken);
        // The queue refuses writes only once disposed.
        ObjectDisposedException.ThrowIf(!queue.Writer.TryWrite(pending), this);
        return pending.Completion;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writing;
    }

    private async Task WriteAllAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Cancel();
                }
                else
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        PreparedConnection connection;
        try
        {
            connection = await connections.RentAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // No connection (the database is down): retrying each write would only wait for the same failure again.
            batch.ForEach(pending => pending.Fail(ex));
            return;
        }

        try
        {
            if (await RunInOneTransactionAsync(connection, batch))
            {
                batch.ForEach(pending => pending.Complete());
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // Which write failed, or whether the database did, each write's own transaction tells.
            foreach (var pending in batch)
            {
                await CommitAsync([pending]);
            }
        }
        catch (Exception ex)
        {
            batch[0].Fail(ex);
        }
    }

    /// <summary>True once committed and confirmed; false when the commit went elsewhere (and the writes are failed).</summary>
    private async Task<bool> RunInOneTransactionAsync(PreparedConnection connection, List<PendingWrite> batch)
    {
        var healthy = false;
        try
        {
            await using (var transaction = await connection.Connection.BeginTransactionAsync())
            {
                foreach (var pending in batch)
                {
                    await pending.RunAsync(connection, transaction);
                }

                await transaction.CommitAsync();
            }

            try
            {
                await confirmCommitted(connection);
            }
            catch (Exception ex)
            {
                // Committed, but not where the store's data lives: retried one by one, each would be committed again.
                batch.ForEach(pending => pending.Fail(ex));
                return false;
            }

            healthy = true;
            return true;
        }
        finally
        {
            await connections.ReturnAsync(connection, healthy);
        }
    }

    private abstract class PendingWrite(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken => cancellationToken;

        public abstract Task RunAsync(PreparedConnection connection, DbTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class PendingWrite<T>(Func<PreparedConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
        : PendingWrite(cancellationToken)
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? result;

        public Task<T> Completion => completion.Task;

        public override async Task RunAsync(PreparedConnection connection, DbTransaction transaction) =>
            result = await write(connection, transaction);

        public override void Complete() => completion.TrySetResult(result!);

        public override void Fail(Exception exception) => completion.TrySetException(exception);

        public override void Cancel() => completion.TrySetCanceled(CancellationToken);
    }
}
