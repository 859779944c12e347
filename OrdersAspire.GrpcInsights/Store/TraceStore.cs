using OrdersAspire.GrpcInsights.Configuration;

namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// Bounded trace store: traces kept in arrival order with indexes by trace id, service, gRPC status and method so
/// filtered lists do not scan everything. Bounded three ways — traces (MaxTraceCount), spans per trace
/// (MaxSpansPerTrace) and estimated bytes (MaxStoreBytes) — evicting the oldest traces first; what does not fit is
/// counted in <see cref="Drops"/>.
/// </summary>
public sealed class TraceStore(int maxTraceCount, int maxSpansPerTrace = TelemetryLimitOptions.DefaultMaxSpansPerTrace,
    long maxBytes = TelemetryLimitOptions.DefaultMaxStoreBytes, TelemetryDrops? drops = null)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, TraceRecord> byId = new(StringComparer.Ordinal);
    private readonly LinkedList<TraceRecord> arrivalOrder = new();
    private readonly Dictionary<string, HashSet<TraceRecord>> byService = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<TraceRecord>> byStatus = new(StringComparer.Ordinal);
    private long sequence;
    private long version;
    private long bytes;

    public long Version => Interlocked.Read(ref version);
    public TelemetryDrops Drops { get; } = drops ?? new TelemetryDrops();
    public long EvictedCount => Drops.EvictedTraces;
    public int MaxCount => maxTraceCount;
    public long MaxBytes => maxBytes;

    /// <summary>The estimated memory the stored traces hold (see <see cref="SpanSize"/>).</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return byId.Count;
            }
        }
    }

    /// <summary>
    /// Adds spans; returns how many were stored. A re-sent span is ignored; a span of a full trace, or one that does
    /// not fit in the byte budget even after evicting every older trace, is dropped and counted.
    /// </summary>
    public int Add(IEnumerable<SpanData> spans)
    {
        var added = 0;
        var dropped = 0;
        lock (gate)
        {
            foreach (var span in spans)
            {
                var trace = byId.GetValueOrDefault(span.TraceId);
                if (trace is not null && trace.Contains(span.SpanId))
                {
                    continue;
                }

                var size = SpanSize.Estimate(span);
                if ((trace?.SpanCount ?? 0) >= maxSpansPerTrace || !MakeRoom(size + (trace is null ? SpanSize.TraceOverhead : 0), trace))
                {
                    dropped++;
                    Drops.SpanDropped();
                    continue;
                }

                if (trace is null)
                {
                    trace = new TraceRecord(span.TraceId, ++sequence);
                    trace.Node = arrivalOrder.AddLast(trace);
                    byId.Add(span.TraceId, trace);
                    bytes += SpanSize.TraceOverhead;
                }

                trace.Add(span, size);
                bytes += size;
                added++;
                Index(byService, span.Service, trace);
                if (span.GrpcStatus is { } status)
                {
                    Index(byStatus, status, trace);
                }
            }

            while (byId.Count > maxTraceCount)
            {
                Evict(arrivalOrder.First!.Value);
            }
        }

        // Drops change what the status bar shows, so they count as a change too.
        if (added + dropped > 0)
        {
            Interlocked.Increment(ref version);
        }

        return added;
    }

    public TraceQueryResult Query(TraceQuery query)
    {
        lock (gate)
        {
            var limit = Math.Max(0, query.Limit);
            var candidates = Candidates(query);
            if (candidates is null)
            {
                // No indexed filter: walk newest-first and stop as soon as the page is full when nothing else filters.
                var unfiltered = string.IsNullOrEmpty(query.Method) && string.IsNullOrEmpty(query.Text);
                var page = new List<TraceSummary>(Math.Min(limit, byId.Count));
                var matches = 0;
                for (var node = arrivalOrder.Last; node is not null; node = node.Previous)
                {
                    if (unfiltered || node.Value.Matches(query))
                    {
                        matches++;
                        if (page.Count < limit)
                        {
                            page.Add(node.Value.Detail.Summary);
                        }
                        else if (unfiltered)
                        {
                            matches = byId.Count;
                            break;
                        }
                    }
                }

                return new TraceQueryResult(page, matches, byId.Count);
            }

            var matching = candidates.Where(t => t.Matches(query)).OrderByDescending(t => t.Sequence).ToList();
            return new TraceQueryResult([.. matching.Take(limit).Select(t => t.Detail.Summary)], matching.Count, byId.Count);
        }
    }

    public TraceDetail? Get(string traceId)
    {
        lock (gate)
        {
            return byId.TryGetValue(traceId, out var trace) ? trace.Detail : null;
        }
    }

    /// <summary>Every gRPC call of the newest traces first (at most <paramref name="traceLimit"/> traces scanned).</summary>
    public IReadOnlyList<GrpcCall> Calls(int traceLimit)
    {
        lock (gate)
        {
            var calls = new List<GrpcCall>();
            var scanned = 0;
            for (var node = arrivalOrder.Last; node is not null && scanned < traceLimit; node = node.Previous, scanned++)
            {
                calls.AddRange(node.Value.Detail.Calls);
            }

            return calls;
        }
    }

    public IReadOnlyList<string> Services()
    {
        lock (gate)
        {
            return [.. byService.Keys.Order(StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<string> Statuses()
    {
        lock (gate)
        {
            return [.. byStatus.Keys.Order(StringComparer.Ordinal)];
        }
    }

    private HashSet<TraceRecord>? Candidates(TraceQuery query)
    {
        HashSet<TraceRecord>? smallest = null;
        foreach (var (index, key) in new[] { (byService, query.Service), (byStatus, query.Status) })
        {
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }

            var set = index.GetValueOrDefault(key) ?? [];
            if (smallest is null || set.Count < smallest.Count)
            {
                smallest = set;
            }
        }

        return smallest;
    }

    /// <summary>Evicts the oldest traces other than <paramref name="keep"/> until <paramref name="size"/> more bytes fit; false if they cannot.</summary>
    private bool MakeRoom(long size, TraceRecord? keep)
    {
        if (size > maxBytes)
        {
            return false;
        }

        var node = arrivalOrder.First;
        while (bytes + size > maxBytes && node is not null)
        {
            var next = node.Next;
            if (node.Value != keep)
            {
                Evict(node.Value);
            }

            node = next;
        }

        return bytes + size <= maxBytes;
    }

    private void Evict(TraceRecord trace)
    {
        arrivalOrder.Remove(trace.Node!);
        byId.Remove(trace.TraceId);
        Unindex(byService, trace.Services, trace);
        Unindex(byStatus, trace.Statuses, trace);
        bytes -= trace.Bytes;
        Drops.TraceEvicted();
    }

    private static void Index(Dictionary<string, HashSet<TraceRecord>> index, string key, TraceRecord trace)
    {
        if (!index.TryGetValue(key, out var set))
        {
            index[key] = set = [];
        }

        set.Add(trace);
    }

    private static void Unindex(Dictionary<string, HashSet<TraceRecord>> index, IEnumerable<string> keys, TraceRecord trace)
    {
        foreach (var key in keys)
        {
            if (index.TryGetValue(key, out var set) && set.Remove(trace) && set.Count == 0)
            {
                index.Remove(key);
            }
        }
    }
}
