using System.Data.Common;
using System.Threading.Channels;

namespace Orders.Api.Storage;

/// <summary>
/// The store's one writer. Writes queue up while a transaction commits; the next transaction takes every write waiting
/// (up to <see cref="MaxBatch"/>) and commits them together, so concurrent writers share one disk flush. A write's task
/// completes only after its transaction committed: an acknowledged write is durable. If a batch fails, each of its writes
/// is retried in a transaction of its own, so one bad write never fails the others.
/// </summary>
public sealed class GroupCommitWriter : IAsyncDisposable
{
    /// <summary>Bounds a transaction's size, and so how long readers of the WAL wait behind one checkpoint.</summary>
    public const int MaxBatch = 512;

    private readonly Channel<PendingWrite> queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConnectionPool connections;
    private readonly Task writing;

    public GroupCommitWriter(ConnectionPool connections)
    {
        this.connections = connections;
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
            await RunInOneTransactionAsync(connection, batch);
            batch.ForEach(pending => pending.Complete());
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

    private async Task RunInOneTransactionAsync(PreparedConnection connection, List<PendingWrite> batch)
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

            healthy = true;
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
