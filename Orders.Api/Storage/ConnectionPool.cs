using System.Collections.Concurrent;
using System.Data.Common;

namespace Orders.Api.Storage;

/// <summary>
/// Open <see cref="PreparedConnection"/>s shared by the store's calls: a call rents one, and gives it back unless it failed
/// (a connection that saw an error may be broken, so it is closed instead). At most <c>maxIdle</c> are kept open.
/// When the database they lead to stops being the store's (<see cref="RetireAsync"/>), every connection open then is
/// closed — idle ones at once, rented ones when given back — and no new one opens until they all are: a rent meanwhile
/// is refused with the reason the database was retired. <c>open</c> is
/// given the generation the new connection joins, so that it can retire it instead.
/// </summary>
public sealed class ConnectionPool(Func<ConnectionPool.Generation, CancellationToken, Task<DbConnection>> open, int maxIdle) : IAsyncDisposable
{
    private readonly ConcurrentBag<PreparedConnection> idle = [];
    private readonly List<Generation> retired = [];
    private Generation current = new();
    private int idleCount;
    private volatile bool disposed;

    public async ValueTask<PreparedConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        while (idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref idleCount);
            if (connection.Generation == Volatile.Read(ref current))
            {
                return connection;
            }

            // Given back just as its generation was retired.
            await CloseAsync(connection);
        }

        ThrowIfRetiredStillOpen();
        var generation = Volatile.Read(ref current);
        generation.Opened();
        try
        {
            return new PreparedConnection(await open(generation, cancellationToken), generation);
        }
        catch
        {
            generation.Closed();
            throw;
        }
    }

    public async ValueTask ReturnAsync(PreparedConnection connection, bool healthy)
    {
        var reusable = healthy && !disposed && connection.Generation == Volatile.Read(ref current);
        if (reusable && Interlocked.Increment(ref idleCount) <= maxIdle)
        {
            idle.Add(connection);
            // Disposed meanwhile: whatever it left behind is closed here.
            if (disposed && idle.TryTake(out var late))
            {
                await CloseAsync(late);
            }

            return;
        }

        if (reusable)
        {
            Interlocked.Decrement(ref idleCount);
        }

        await CloseAsync(connection);
    }

    /// <summary>
    /// Stops using every connection of <paramref name="generation"/>, because of <paramref name="reason"/> (which names
    /// the database): true for the call that retired it, false when another call already had.
    /// </summary>
    public async ValueTask<bool> RetireAsync(Generation generation, string reason)
    {
        if (Interlocked.CompareExchange(ref current, new Generation(), generation) != generation)
        {
            return false;
        }

        lock (retired)
        {
            generation.RetiredBecause = reason;
            retired.Add(generation);
        }

        while (idle.TryTake(out var stale))
        {
            Interlocked.Decrement(ref idleCount);
            await CloseAsync(stale);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        while (idle.TryTake(out var connection))
        {
            await CloseAsync(connection);
        }
    }

    private static async ValueTask CloseAsync(PreparedConnection connection)
    {
        await connection.DisposeAsync();
        connection.Generation.Closed();
    }

    // A new connection beside one still open on the retired database would share its files' names (SQLite's -wal and
    // -shm): the old one's log could be read, or deleted, as the new database's.
    private void ThrowIfRetiredStillOpen()
    {
        lock (retired)
        {
            retired.RemoveAll(generation => generation.Open == 0);
            if (retired.Count > 0)
            {
                // The caller hears the same reason as the call that retired the database: it is still why calls fail.
                var reason = retired[^1].RetiredBecause!;
                throw new OrderStoreUnavailableException(
                    $"{reason}; {retired.Sum(generation => generation.Open)} connections to the database the store stopped using are still in use, and no new connection opens until they are closed") { CallerReason = reason };
            }
        }
    }

    /// <summary>The connections opened while the pool led to one database.</summary>
    public sealed class Generation
    {
        private int open;

        internal string? RetiredBecause { get; set; }

        internal int Open => Volatile.Read(ref open);

        internal void Opened() => Interlocked.Increment(ref open);

        internal void Closed() => Interlocked.Decrement(ref open);
    }
}
