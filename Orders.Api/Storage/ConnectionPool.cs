using System.Collections.Concurrent;
using System.Data.Common;

namespace Orders.Api.Storage;

/// <summary>
/// Open <see cref="PreparedConnection"/>s shared by the store's calls: a call rents one, and gives it back unless it failed
/// (a connection that saw an error may be broken, so it is closed instead). At most <c>maxIdle</c> are kept open.
/// </summary>
public sealed class ConnectionPool(Func<CancellationToken, Task<DbConnection>> open, int maxIdle) : IAsyncDisposable
{
    private readonly ConcurrentBag<PreparedConnection> idle = [];
    private int idleCount;
    private volatile bool disposed;

    public async ValueTask<PreparedConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref idleCount);
            return connection;
        }

        return new PreparedConnection(await open(cancellationToken));
    }

    public async ValueTask ReturnAsync(PreparedConnection connection, bool healthy)
    {
        if (healthy && !disposed && Interlocked.Increment(ref idleCount) <= maxIdle)
        {
            idle.Add(connection);
            // Disposed meanwhile: whatever it left behind is closed here.
            if (disposed && idle.TryTake(out var late))
            {
                await late.DisposeAsync();
            }

            return;
        }

        if (healthy && !disposed)
        {
            Interlocked.Decrement(ref idleCount);
        }

        await connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        while (idle.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }
    }
}
