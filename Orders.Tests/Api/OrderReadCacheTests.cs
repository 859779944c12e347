using Ecommerce;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>What the cache serves: an order only under the very header it was kept under, nothing after a clear, and no more than its memory budget.</summary>
public sealed class OrderReadCacheTests
{
    private static readonly WalIndexHeader Header = Make(1);

    [Fact]
    public void AKeptOrder_IsServedUnderItsHeaderOnly()
    {
        var cache = new OrderReadCache(capacityBytes: 1 << 20);
        var order = new Order { Id = "101" };
        cache.Add(Header, order);

        Assert.True(cache.TryGet(Header, "101", out var kept));
        Assert.Same(order, kept);
        Assert.False(cache.TryGet(Header, "102", out _));
        // The last 8 of the 48 bytes differ: another state of the database.
        Assert.False(cache.TryGet(Make(1, lastByte: 1), "101", out _));
    }

    [Fact]
    public void AnOrderKeptUnderALaterHeader_DropsTheEarlierOnes_AndALateEarlierOneDropsItInTurn()
    {
        var cache = new OrderReadCache(capacityBytes: 1 << 20);
        cache.Add(Header, new Order { Id = "101" });
        cache.Add(Make(2), new Order { Id = "102" });

        Assert.False(cache.TryGet(Header, "101", out _));
        Assert.True(cache.TryGet(Make(2), "102", out _));

        cache.Add(Header, new Order { Id = "103" });
        Assert.False(cache.TryGet(Make(2), "102", out _));
    }

    [Fact]
    public void Cleared_NothingIsServed()
    {
        var cache = new OrderReadCache(capacityBytes: 1 << 20);
        cache.Add(Header, new Order { Id = "101" });

        cache.Clear();

        Assert.False(cache.TryGet(Header, "101", out _));
    }

    [Fact]
    public void PastItsMemoryBudget_NoMoreIsKept_UntilTheHeaderChanges()
    {
        Order[] orders = [new() { Id = "1" }, new() { Id = "2", Items = { new string('x', 500) } }, new() { Id = "3" }];
        // Room for the first two, by the estimate: 256 bytes each plus twice the encoded size.
        var cache = new OrderReadCache(OrderReadCache.EstimatedBytes(orders[0]) + OrderReadCache.EstimatedBytes(orders[1]));
        foreach (var order in orders)
        {
            cache.Add(Header, order);
        }

        Assert.Equal([true, true, false], orders.Select(order => cache.TryGet(Header, order.Id, out _)));
        cache.Add(Make(2), orders[2]);
        Assert.True(cache.TryGet(Make(2), "3", out _));
    }

    [Fact]
    public void TheEstimate_CountsTheStringsTwice_PlusTheObjects()
    {
        var order = new Order { Id = "101", Items = { "a", "bc" }, Description = "d", Price = 1.5f, Destination = "e" };

        // Encoded: id 5, items 3 + 4, description 3, price 5, destination 3 = 23 bytes.
        Assert.Equal(23, order.CalculateSize());
        Assert.Equal(256 + 2 * 23, OrderReadCache.EstimatedBytes(order));
    }

    private static WalIndexHeader Make(byte change, byte lastByte = 0)
    {
        var header = default(WalIndexHeader);
        Span<ulong> words = header;
        words[1] = change;
        words[5] = lastByte;
        return header;
    }
}
