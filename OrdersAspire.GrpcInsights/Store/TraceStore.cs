namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// Bounded trace store: traces kept in arrival order (oldest evicted first once MaxTraceCount is passed) with
/// indexes by trace id, service, gRPC status and method so filtered lists do not scan everything.
/// </summary>
public sealed class TraceStore(int maxTraceCount, int maxSpansPerTrace = TraceStore.DefaultMaxSpansPerTrace)
{
    /// <summary>Spans kept per trace; later ones are ignored, so one endless trace id cannot grow the store without bound.</summary>
    public const int DefaultMaxSpansPerTrace = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, TraceRecord> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<TraceRecord> _arrivalOrder = new();
    private readonly Dictionary<string, HashSet<TraceRecord>> _byService = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<TraceRecord>> _byStatus = new(StringComparer.Ordinal);
    private long _sequence;
    private long _version;
    private long _evicted;

    public long Version => Interlocked.Read(ref _version);
    public long EvictedCount => Interlocked.Read(ref _evicted);
    public int MaxCount => maxTraceCount;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>Adds spans; returns how many were stored (duplicates and spans of a full trace are ignored).</summary>
    public int Add(IEnumerable<SpanData> spans)
    {
        var added = 0;
        lock (_lock)
        {
            foreach (var span in spans)
            {
                if (!_byId.TryGetValue(span.TraceId, out var trace))
                {
                    trace = new TraceRecord(span.TraceId, ++_sequence);
                    trace.Node = _arrivalOrder.AddLast(trace);
                    _byId.Add(span.TraceId, trace);
                }

                if (trace.SpanCount < maxSpansPerTrace && trace.Add(span))
                {
                    added++;
                    Index(_byService, span.Service, trace);
                    if (span.GrpcStatus is { } status)
                    {
                        Index(_byStatus, status, trace);
                    }
                }
            }

            while (_byId.Count > maxTraceCount)
            {
                Evict(_arrivalOrder.First!.Value);
            }
        }

        if (added > 0)
        {
            Interlocked.Increment(ref _version);
        }

        return added;
    }

    public TraceQueryResult Query(TraceQuery query)
    {
        lock (_lock)
        {
            var limit = Math.Max(0, query.Limit);
            var candidates = Candidates(query);
            if (candidates is null)
            {
                // No indexed filter: walk newest-first and stop as soon as the page is full when nothing else filters.
                var unfiltered = string.IsNullOrEmpty(query.Method) && string.IsNullOrEmpty(query.Text);
                var page = new List<TraceSummary>(Math.Min(limit, _byId.Count));
                var matches = 0;
                for (var node = _arrivalOrder.Last; node is not null; node = node.Previous)
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
                            matches = _byId.Count;
                            break;
                        }
                    }
                }

                return new TraceQueryResult(page, matches, _byId.Count);
            }

            var matching = candidates.Where(t => t.Matches(query)).OrderByDescending(t => t.Sequence).ToList();
            return new TraceQueryResult([.. matching.Take(limit).Select(t => t.Detail.Summary)], matching.Count, _byId.Count);
        }
    }

    public TraceDetail? Get(string traceId)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(traceId, out var trace) ? trace.Detail : null;
        }
    }

    /// <summary>Every gRPC call of the newest traces first (at most <paramref name="traceLimit"/> traces scanned).</summary>
    public IReadOnlyList<GrpcCall> Calls(int traceLimit)
    {
        lock (_lock)
        {
            var calls = new List<GrpcCall>();
            var scanned = 0;
            for (var node = _arrivalOrder.Last; node is not null && scanned < traceLimit; node = node.Previous, scanned++)
            {
                calls.AddRange(node.Value.Detail.Calls);
            }

            return calls;
        }
    }

    public IReadOnlyList<string> Services()
    {
        lock (_lock)
        {
            return [.. _byService.Keys.Order(StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<string> Statuses()
    {
        lock (_lock)
        {
            return [.. _byStatus.Keys.Order(StringComparer.Ordinal)];
        }
    }

    private HashSet<TraceRecord>? Candidates(TraceQuery query)
    {
        HashSet<TraceRecord>? smallest = null;
        foreach (var (index, key) in new[] { (_byService, query.Service), (_byStatus, query.Status) })
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

    private void Evict(TraceRecord trace)
    {
        _arrivalOrder.Remove(trace.Node!);
        _byId.Remove(trace.TraceId);
        Unindex(_byService, trace.Services, trace);
        Unindex(_byStatus, trace.Statuses, trace);
        Interlocked.Increment(ref _evicted);
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
