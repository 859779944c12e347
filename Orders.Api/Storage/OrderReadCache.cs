using System.Collections.Concurrent;
using Ecommerce;

namespace Orders.Api.Storage;

/// <summary>
/// Orders read from SQLite, kept for as long as the database's WAL index header is unchanged: any commit, from any
/// connection of any process, changes the header, and with it every entry kept so far stops being served. An entry is
/// filed under the header read before its read, so a commit that lands during the read makes it stale, never wrong.
/// Up to <c>capacityBytes</c> of orders per header, by <see cref="EstimatedBytes"/>; the orders handed out are shared,
/// and nothing may change them.
/// </summary>
public sealed class OrderReadCache(long capacityBytes)
{
    private volatile Generation? current;

    /// <summary>The order kept under <paramref name="id"/> while the header is <paramref name="header"/>.</summary>
    public bool TryGet(in WalIndexHeader header, string id, out Order? order)
    {
        order = null;
        return current is { } generation && generation.Header.SameAs(header) && generation.Orders.TryGetValue(id, out order);
    }

    /// <param name="readBefore">The header read before <paramref name="order"/> was.</param>
    public void Add(in WalIndexHeader readBefore, Order order)
    {
        var generation = current;
        if (generation is null || !generation.Header.SameAs(readBefore))
        {
            // A later header drops everything kept under an earlier one; a late reader's earlier header is dropped
            // in turn by the next read, which finds the later header again.
            generation = new Generation(readBefore);
            current = generation;
        }

        var size = EstimatedBytes(order);
        if (Volatile.Read(ref generation.Bytes) + size <= capacityBytes && Interlocked.Add(ref generation.Bytes, size) <= capacityBytes)
        {
            generation.Orders.TryAdd(order.Id, order);
        }
    }

    /// <summary>What keeping an order costs in memory, about: its strings are UTF-16, twice their encoded size, plus its objects.</summary>
    public static long EstimatedBytes(Order order) => 256 + 2L * order.CalculateSize();

    /// <summary>Stops serving everything kept so far.</summary>
    public void Clear() => current = null;

    private sealed class Generation(WalIndexHeader header)
    {
        public readonly WalIndexHeader Header = header;

        public readonly ConcurrentDictionary<string, Order> Orders = new(StringComparer.Ordinal);

        public long Bytes;
    }
}
