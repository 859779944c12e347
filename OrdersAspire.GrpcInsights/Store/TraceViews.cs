namespace OrdersAspire.GrpcInsights.Store;

/// <summary>One row of the traces list.</summary>
public sealed record TraceSummary(
    string TraceId,
    string Name,
    DateTime Start,
    TimeSpan Duration,
    IReadOnlyList<string> Services,
    int SpanCount,
    string? GrpcStatus,
    bool HasError,
    IReadOnlyList<string> Methods);

/// <summary>A span placed in the trace tree; Depth 0 is a root (or an orphan whose parent has not arrived yet).</summary>
public sealed record SpanNode(SpanData Span, int Depth);

public sealed record TraceDetail(TraceSummary Summary, IReadOnlyList<SpanNode> Spans, IReadOnlyList<GrpcCall> Calls);

/// <summary>Filters of the traces list; null or empty means "any".</summary>
public sealed record TraceQuery(string? Service = null, string? Status = null, string? Method = null, string? Text = null, int Limit = 100);

public sealed record TraceQueryResult(IReadOnlyList<TraceSummary> Traces, int MatchCount, int TotalCount);
