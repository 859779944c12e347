using System.Collections.Concurrent;
using Ecommerce;

namespace Orders.Api.Storage;

/// <summary>
/// Orders read from SQLite, kept for as long as the database's WAL index header is unchanged: any commit, from any
/// connection of any process, changes the header, and with it every entry kept so far stops being served. An entry is
/// filed under the header read before its read, so a commit that lands during the read makes it stale, never wrong.
/// At most <c>capacity</c> orders per header; the orders handed out are shared, and nothing may change them.
/// </summary>
public sealed class OrderReadCache(int capacity)
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

        // A count of its own: ConcurrentDictionary.Count takes every lock of the dictionary.
        if (Volatile.Read(ref generation.Added) < capacity && Interlocked.Increment(ref generation.Added) <= capacity)
        {
            generation.Orders.TryAdd(order.Id, order);
        }
    }

    /// <summary>Stops serving everything kept so far.</summary>
    public void Clear() => current = null;

    private sealed class Generation(WalIndexHeader header)
    {
        public readonly WalIndexHeader Header = header;

        public readonly ConcurrentDictionary<string, Order> Orders = new(StringComparer.Ordinal);

        public int Added;
    }
}
