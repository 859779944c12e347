namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// What the limits cost, counted since start: the store never grows past its limits silently, it says here (in the
/// status bar and /api/status) what it left out.
/// </summary>
public sealed class TelemetryDrops
{
    private long droppedSpans;
    private long evictedTraces;
    private long truncatedAttributes;
    private long droppedEvents;

    /// <summary>Spans not stored: their trace had MaxSpansPerTrace spans, or they did not fit in MaxStoreBytes.</summary>
    public long DroppedSpans => Interlocked.Read(ref droppedSpans);

    /// <summary>Whole traces removed, oldest first, to stay within MaxTraceCount and MaxStoreBytes.</summary>
    public long EvictedTraces => Interlocked.Read(ref evictedTraces);

    /// <summary>Attributes cut to MaxAttributeLength, or left out beyond MaxAttributeCount.</summary>
    public long TruncatedAttributes => Interlocked.Read(ref truncatedAttributes);

    /// <summary>Span events left out beyond MaxSpanEventCount.</summary>
    public long DroppedEvents => Interlocked.Read(ref droppedEvents);

    public bool Any => DroppedSpans + EvictedTraces + TruncatedAttributes + DroppedEvents > 0;

    public void SpanDropped() => Interlocked.Increment(ref droppedSpans);

    public void TraceEvicted() => Interlocked.Increment(ref evictedTraces);

    public void AttributesTruncated(int count) => Interlocked.Add(ref truncatedAttributes, count);

    public void EventsDropped(int count) => Interlocked.Add(ref droppedEvents, count);
}
