namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// The spans of one trace as they arrive — from several services, out of order, late. Mutated only under the
/// trace store's lock; the derived views (tree, summary, calls) are rebuilt lazily after a change.
/// </summary>
internal sealed class TraceRecord(string traceId, long sequence)
{
    private readonly List<SpanData> spans = [];
    private readonly HashSet<string> spanIds = [];
    private TraceDetail? detail;

    public string TraceId { get; } = traceId;
    public long Sequence { get; } = sequence;
    public LinkedListNode<TraceRecord>? Node { get; set; }
    public HashSet<string> Services { get; } = [];
    public HashSet<string> Statuses { get; } = [];
    public HashSet<string> Methods { get; } = [];
    public int SpanCount => spans.Count;

    /// <summary>The estimated memory this trace holds (see <see cref="SpanSize"/>).</summary>
    public long Bytes { get; private set; } = SpanSize.TraceOverhead;

    /// <summary>True when a span with this id is stored: a re-sent span is ignored, so retries never duplicate.</summary>
    public bool Contains(string spanId) => spanIds.Contains(spanId);

    public void Add(SpanData span, long size)
    {
        spanIds.Add(span.SpanId);
        spans.Add(span);
        Bytes += size;
        Services.Add(span.Service);
        if (span.GrpcStatus is { } status)
        {
            Statuses.Add(status);
        }

        if (span.RpcMethod is { } method)
        {
            Methods.Add(method);
        }

        detail = null;
    }

    public bool Matches(TraceQuery query) =>
        (string.IsNullOrEmpty(query.Service) || Services.Contains(query.Service))
        && (string.IsNullOrEmpty(query.Status) || Statuses.Contains(query.Status))
        && (string.IsNullOrEmpty(query.Method) || Methods.Any(m => m.Contains(query.Method, StringComparison.OrdinalIgnoreCase)))
        && (string.IsNullOrEmpty(query.Text) || MatchesText(query.Text));

    public TraceDetail Detail => detail ??= BuildDetail();

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
            [.. Methods.Order(StringComparer.Ordinal)]);
        var ordered = nodes.Select(n => n.Span).ToList();
        return new TraceDetail(summary, nodes, GrpcCallBuilder.Build(ordered));
    }

    /// <summary>Depth-first from the roots, siblings by start time: a client span comes right above its server span.</summary>
    private List<SpanNode> TreeOrder()
    {
        var children = spans
            .Where(s => s.ParentSpanId is not null && spanIds.Contains(s.ParentSpanId))
            .GroupBy(s => s.ParentSpanId!)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Start).ToList());
        var roots = spans.Where(s => s.ParentSpanId is null || !spanIds.Contains(s.ParentSpanId)).OrderBy(s => s.Start);

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
