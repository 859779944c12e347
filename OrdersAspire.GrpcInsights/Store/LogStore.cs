namespace OrdersAspire.GrpcInsights.Store;

/// <summary>Filters of the structured logs view; null or empty means "any". Level means "this level and above".</summary>
public sealed record LogQuery(string? Service = null, string? Level = null, string? Text = null, string? TraceId = null, int Limit = 200);

public sealed record LogQueryResult(IReadOnlyList<LogEntry> Logs, int MatchCount, int TotalCount);

/// <summary>Bounded log store: a ring of the newest MaxLogCount records, plus an index by trace id.</summary>
public sealed class LogStore
{
    private readonly Lock _lock = new();
    private readonly LogEntry[] _ring;
    private readonly Dictionary<string, List<LogEntry>> _byTraceId = new(StringComparer.Ordinal);
    private int _oldest;
    private int _count;
    private long _sequence;
    private long _version;
    private long _evicted;

    public LogStore(int maxLogCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLogCount, 1);
        _ring = new LogEntry[maxLogCount];
    }

    public long Version => Interlocked.Read(ref _version);
    public long EvictedCount => Interlocked.Read(ref _evicted);
    public int MaxCount => _ring.Length;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Add(IEnumerable<LogEntry> entries)
    {
        var added = false;
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                if (_count == _ring.Length)
                {
                    EvictOldest();
                }

                var stored = entry with { Sequence = ++_sequence };
                _ring[(_oldest + _count) % _ring.Length] = stored;
                _count++;
                added = true;
                if (!string.IsNullOrEmpty(stored.TraceId))
                {
                    if (!_byTraceId.TryGetValue(stored.TraceId, out var list))
                    {
                        _byTraceId[stored.TraceId] = list = [];
                    }

                    list.Add(stored);
                }
            }
        }

        if (added)
        {
            Interlocked.Increment(ref _version);
        }
    }

    public LogQueryResult Query(LogQuery query)
    {
        var minimumSeverity = string.IsNullOrEmpty(query.Level) ? 0 : LogLevels.MinimumSeverity(query.Level);
        var limit = Math.Max(0, query.Limit);
        lock (_lock)
        {
            IEnumerable<LogEntry> candidates = string.IsNullOrEmpty(query.TraceId)
                ? NewestFirst()
                : Enumerable.Reverse(_byTraceId.GetValueOrDefault(query.TraceId.ToLowerInvariant()) ?? []);
            var page = new List<LogEntry>();
            var matches = 0;
            foreach (var entry in candidates)
            {
                if (entry.SeverityNumber >= minimumSeverity
                    && (string.IsNullOrEmpty(query.Service) || entry.Service == query.Service)
                    && (string.IsNullOrEmpty(query.Text) || MatchesText(entry, query.Text)))
                {
                    matches++;
                    if (page.Count < limit)
                    {
                        page.Add(entry);
                    }
                }
            }

            return new LogQueryResult(page, matches, _count);
        }
    }

    private static bool MatchesText(LogEntry entry, string text) =>
        entry.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || entry.Category.Contains(text, StringComparison.OrdinalIgnoreCase)
        || entry.Attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase));

    private IEnumerable<LogEntry> NewestFirst()
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            yield return _ring[(_oldest + i) % _ring.Length];
        }
    }

    private void EvictOldest()
    {
        var oldest = _ring[_oldest];
        _ring[_oldest] = null!;
        _oldest = (_oldest + 1) % _ring.Length;
        _count--;
        Interlocked.Increment(ref _evicted);
        if (oldest.TraceId is { Length: > 0 } traceId && _byTraceId.TryGetValue(traceId, out var list))
        {
            // Per-trace lists are in arrival order, so the evicted record is the list's first.
            list.RemoveAt(0);
            if (list.Count == 0)
            {
                _byTraceId.Remove(traceId);
            }
        }
    }
}
