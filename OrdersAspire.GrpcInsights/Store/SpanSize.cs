namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// An estimate of the managed memory a stored span holds — its strings, attribute entries and its share of the trace's
/// indexes and views — so the store can be bounded in bytes, not only in records. Calibrated against the heap
/// (benchmarks: a two-span gRPC trace holds about 4 KB).
/// </summary>
public static class SpanSize
{
    /// <summary>A trace record: its dictionary and list entries, index sets and summary.</summary>
    public const int TraceOverhead = 1_024;

    // The span object, its ids, its tree node and call-view share, and list / set slots.
    private const int SpanOverhead = 480;
    private const int EntryOverhead = 40;
    private const int StringOverhead = 24;

    public static long Estimate(SpanData span)
    {
        long size = SpanOverhead + Text(span.Name) + Text(span.Scope) + Text(span.StatusMessage) + Attributes(span.Attributes);
        foreach (var spanEvent in span.Events)
        {
            size += EntryOverhead + Text(spanEvent.Name) + Attributes(spanEvent.Attributes);
        }

        return size;
    }

    private static long Attributes(IReadOnlyList<AttributeEntry> attributes)
    {
        long size = 0;
        foreach (var attribute in attributes)
        {
            size += EntryOverhead + Text(attribute.Key) + Text(attribute.Value);
        }

        return size;
    }

    private static long Text(string? value) => value is null ? 0 : StringOverhead + (2L * value.Length);
}
