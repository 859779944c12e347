namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// The spans of one trace as they arrive — from several services, out of order, late. Mutated only under the
/// trace store's lock; the derived views (tree, summary, calls) are rebuilt lazily after a change.
/// </summary>
internal sealed class TraceRecord(string traceId, long sequence)
{
    // Past this many spans a trace looks its span ids up in a set; below it a scan of its spans is cheaper than the set.
    private const int SpanIdScanLimit = 8;

    // Most traces hold a span or two from a service or two: lists, searched before adding, cost every trace far less
    // than hash sets would (at thousands of exported spans a second, each of them a new trace).
    private readonly List<SpanData> spans = new(2);
    private readonly List<string> services = new(1);
    private readonly List<string> statuses = new(1);
    private readonly List<string> methods = new(1);
    private HashSet<string>? spanIds;
    private TraceDetail? detail;

    public string TraceId { get; } = traceId;
    public long Sequence { get; } = sequence;
    public LinkedListNode<TraceRecord>? Node { get; set; }
    public IReadOnlyList<string> Services => services;
    public IReadOnlyList<string> Statuses => statuses;
    public int SpanCount => spans.Count;

    /// <summary>The estimated memory this trace holds (see <see cref="SpanSize"/>).</summary>
    public long Bytes { get; private set; } = SpanSize.TraceOverhead;

    /// <summary>True when a span with this id is stored: a re-sent span is ignored, so retries never duplicate.</summary>
    public bool Contains(string spanId)
    {
        if (spanIds is not null)
        {
            return spanIds.Contains(spanId);
        }

        foreach (var span in spans)
        {
            if (span.SpanId == spanId)
            {
                return true;
            }
        }

        return false;
    }

    public void Add(SpanData span, long size)
    {
        spans.Add(span);
        if (spanIds is not null)
        {
            spanIds.Add(span.SpanId);
        }
        else if (spans.Count > SpanIdScanLimit)
        {
            spanIds = new HashSet<string>(spans.Select(stored => stored.SpanId), StringComparer.Ordinal);
        }

        Bytes += size;
        AddDistinct(services, span.Service);
        if (span.GrpcStatus is { } status)
        {
            AddDistinct(statuses, status);
        }

        if (span.RpcMethod is { } method)
        {
            AddDistinct(methods, method);
        }

        detail = null;
    }

    // The trace store's indexes hold traces in hash sets: the sequence is unique and at hand, where the default hash
    // would be made and stored in the object's header on first use.
    public override int GetHashCode() => Sequence.GetHashCode();

    public bool Matches(TraceQuery query) =>
        (string.IsNullOrEmpty(query.Service) || services.Contains(query.Service))
        && (string.IsNullOrEmpty(query.Status) || statuses.Contains(query.Status))
        && (string.IsNullOrEmpty(query.Method) || methods.Any(m => m.Contains(query.Method, StringComparison.OrdinalIgnoreCase)))
        && (string.IsNullOrEmpty(query.Text) || MatchesText(query.Text));

    public TraceDetail Detail => detail ??= BuildDetail();

    private static void AddDistinct(List<string> values, string value)
    {
        if (!values.Contains(value))
        {
            values.Add(value);
        }
    }

    private bool MatchesText(string text) =>
        TraceId.StartsWith(text, StringComparison.OrdinalIgnoreCase)
        || spans.Any(span => span.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
            || span.Attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase)));

    private TraceDetail BuildDetail()
    {
        var nodes = TreeOrder();
        var start = spans.Min(s => s.Start);
        var end = spans.Max(s => s.End);
        var root = nodes[0].Span;
        var status = nodes.Select(n => n.Span.GrpcStatus).FirstOrDefault(s => s is not null);
        var summary = new TraceSummary(
            TraceId,
            $"{root.Service}: {root.Name}",
            start,
            end > start ? end - start : TimeSpan.Zero,
            [.. nodes.Select(n => n.Span.Service).Distinct()],
            spans.Count,
            status,
            GrpcStatusCodes.IsError(status) || spans.Any(s => s.Status == SpanStatusCode.Error),
            [.. methods.Order(StringComparer.Ordinal)]);
        var ordered = nodes.Select(n => n.Span).ToList();
        return new TraceDetail(summary, nodes, GrpcCallBuilder.Build(ordered));
    }

    /// <summary>Depth-first from the roots, siblings by start time: a client span comes right above its server span.</summary>
    private List<SpanNode> TreeOrder()
    {
        var children = spans
            .Where(s => s.ParentSpanId is not null && Contains(s.ParentSpanId))
            .GroupBy(s => s.ParentSpanId!)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Start).ToList());
        var roots = spans.Where(s => s.ParentSpanId is null || !Contains(s.ParentSpanId)).OrderBy(s => s.Start);

        var result = new List<SpanNode>(spans.Count);
        var stack = new Stack<SpanNode>(roots.Reverse().Select(s => new SpanNode(s, 0)));
        while (stack.TryPop(out var node) && result.Count < spans.Count)
        {
            result.Add(node);
            if (children.TryGetValue(node.Span.SpanId, out var kids))
            {
                for (var i = kids.Count - 1; i >= 0; i--)
                {
                    stack.Push(new SpanNode(kids[i], node.Depth + 1));
                }
            }
        }

        // A parent cycle (malformed input) leaves spans unreachable from any root; show them flat rather than lose them.
        if (result.Count < spans.Count)
        {
            var placed = result.Select(n => n.Span.SpanId).ToHashSet();
            result.AddRange(spans.Where(s => !placed.Contains(s.SpanId)).Select(s => new SpanNode(s, 0)));
        }

        return result;
    }
}
