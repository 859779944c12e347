using Ecommerce;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>What the cache serves: an order only under the very header it was kept under, nothing after a clear, and no more than its capacity.</summary>
public sealed class OrderReadCacheTests
{
    private static readonly WalIndexHeader Header = Make(1);

    [Fact]
    public void AKeptOrder_IsServedUnderItsHeaderOnly()
    {
        var cache = new OrderReadCache(capacity: 10);
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
        var cache = new OrderReadCache(capacity: 10);
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
        var cache = new OrderReadCache(capacity: 10);
        cache.Add(Header, new Order { Id = "101" });

        cache.Clear();

        Assert.False(cache.TryGet(Header, "101", out _));
    }

    [Fact]
    public void PastItsCapacity_NoMoreIsKept_UntilTheHeaderChanges()
    {
        var cache = new OrderReadCache(capacity: 2);
        string[] ids = ["1", "2", "3"];
        foreach (var id in ids)
        {
            cache.Add(Header, new Order { Id = id });
        }

        Assert.Equal([true, true, false], ids.Select(id => cache.TryGet(Header, id, out _)));
        cache.Add(Make(2), new Order { Id = "3" });
        Assert.True(cache.TryGet(Make(2), "3", out _));
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
