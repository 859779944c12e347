using OrdersAspire.GrpcInsights.Store;
using static Orders.Tests.GrpcInsights.StoredSpans;

namespace Orders.Tests.GrpcInsights;

/// <summary>The store's byte bound at its exact boundary, and the version live pages poll.</summary>
public sealed class TraceStoreBoundsTests
{
    private static readonly long SpanBytes = SpanSize.Estimate(Big("t0", "s0", 100));
    private static readonly long TraceBytes = SpanSize.TraceOverhead + SpanBytes;

    [Theory]
    [InlineData(0, new[] { "t1", "t0" })]
    [InlineData(-1, new[] { "t1" })]
    public void TwoTracesFillingTheBoundExactlyAreBothKept_OneByteLessEvictsTheOldest(long slack, string[] kept)
    {
        var traces = new TraceStore(1_000, maxBytes: (2 * TraceBytes) + slack);
        traces.Add([Big("t0", "s0", 100)]);

        Assert.Equal(1, traces.Add([Big("t1", "s0", 100)]));

        Assert.Equal(kept, Ids(traces.Query(new TraceQuery())));
        Assert.Equal((2L - kept.Length, 0L), (traces.Drops.EvictedTraces, traces.Drops.DroppedSpans));
        Assert.Equal(kept.Length * TraceBytes, traces.Bytes);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 0)]
    public void ATraceOfExactlyTheWholeBoundIsKept_OneByteMoreIsDroppedAndCounted(long slack, int stored)
    {
        var traces = new TraceStore(1_000, maxBytes: TraceBytes + slack);

        Assert.Equal(stored, traces.Add([Big("t0", "s0", 100)]));

        Assert.Equal((1L - stored, stored * TraceBytes), (traces.Drops.DroppedSpans, traces.Bytes));
    }

    [Fact]
    public void AnotherSpanOfAStoredTraceCostsOnlyItsOwnBytes()
    {
        // Room for one trace record and two spans: the second span must not be charged a second record.
        var traces = new TraceStore(1_000, maxBytes: SpanSize.TraceOverhead + (2 * SpanBytes));
        traces.Add([Big("t0", "s0", 100)]);

        Assert.Equal(1, traces.Add([Big("t0", "s1", 100)]));

        Assert.Equal(["s0", "s1"], traces.Get("t0")!.Spans.Select(n => n.Span.SpanId));
        Assert.Equal((traces.MaxBytes, 0L), (traces.Bytes, traces.Drops.DroppedSpans));
    }

    [Fact]
    public void TheVersionChangesOncePerAddThatStoredOrDroppedSomething_AndOnlyThen()
    {
        var traces = new TraceStore(100, maxSpansPerTrace: 1);
        var first = Span("t1", "s0", null, SpanKind.Internal, ApiResource, 0, 1);
        var versions = new List<long> { traces.Version };
        void Add(params SpanData[] spans)
        {
            traces.Add(spans);
            versions.Add(traces.Version);
        }

        Add(first);
        // A re-sent span and an empty export change nothing a page shows.
        Add(first);
        Add();
        // A span dropped alone changes the status bar's counts.
        Add(Span("t1", "s1", null, SpanKind.Internal, ApiResource, 1, 1));
        // One stored and one dropped in the same export: one change.
        Add(Span("t2", "s0", null, SpanKind.Internal, ApiResource, 2, 1), Span("t2", "s1", null, SpanKind.Internal, ApiResource, 3, 1));

        Assert.Equal([0L, 1, 1, 1, 2, 3], versions);
    }
}
