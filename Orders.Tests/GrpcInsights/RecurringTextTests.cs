using OrdersAspire.GrpcInsights.Store;

namespace Orders.Tests.GrpcInsights;

/// <summary>The shared copies of recurring texts: one instance per text, a bounded table, texts never changed.</summary>
public sealed class RecurringTextTests
{
    private readonly RecurringText recurring = new();

    [Fact]
    public void AShortTextSeenAgainIsTheCopySeenFirst()
    {
        var first = recurring.Share(new string("rpc.method"));
        var again = new string("rpc.method");

        Assert.NotSame(first, again);
        Assert.Same(first, recurring.Share(again));
    }

    [Fact]
    public void EmptyAndLongTextsAreNotShared()
    {
        var atTheLimit = new string('a', RecurringText.MaxLength);
        var overTheLimit = new string('b', RecurringText.MaxLength + 1);
        recurring.Share(atTheLimit);
        recurring.Share(overTheLimit);

        Assert.Same(atTheLimit, recurring.Share(new string('a', RecurringText.MaxLength)));
        var longAgain = new string('b', RecurringText.MaxLength + 1);
        Assert.Same(longAgain, recurring.Share(longAgain));
    }

    [Fact]
    public void ManyDistinctTextsAreEachReturnedUnchanged_TheTableKeepsSomeAndGrowsNoFurther()
    {
        var texts = Enumerable.Range(0, 20_000).Select(i => $"order-{i}").ToArray();
        Assert.Equal(texts, texts.Select(recurring.Share));

        // A slot holds one text, so of 20,000 distinct texts at most one per slot is still shared afterwards.
        var stillShared = texts.Count(text => ReferenceEquals(recurring.Share(new string(text)), text));
        Assert.InRange(stillShared, 1, 4_096);
    }
}
