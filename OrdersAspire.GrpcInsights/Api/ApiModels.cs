using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Otlp;
using OrdersAspire.GrpcInsights.Reproduce;
using OrdersAspire.GrpcInsights.Store;

namespace OrdersAspire.GrpcInsights.Api;

/// <summary>JSON shapes of the read API: durations in milliseconds, ids in lower-case hex, attributes as a key→value map.</summary>
public sealed record TraceListDto(int MatchCount, int TotalCount, IReadOnlyList<TraceSummaryDto> Traces);

/// <param name="AspireTraceUrl">The same trace in the Aspire dashboard; null when Insights:AspireDashboard:Url is not set.</param>
public sealed record TraceSummaryDto(string TraceId, string Name, DateTime Start, double DurationMs, IReadOnlyList<string> Services,
    int SpanCount, string? GrpcStatus, bool HasError, IReadOnlyList<string> Methods, Uri? AspireTraceUrl)
{
    public static TraceSummaryDto From(TraceSummary t, AspireDashboardOptions aspire) =>
        new(t.TraceId, t.Name, t.Start, t.Duration.TotalMilliseconds, t.Services, t.SpanCount, t.GrpcStatus, t.HasError, t.Methods, aspire.TraceUrl(t.TraceId));
}

public sealed record TraceDto(TraceSummaryDto Summary, IReadOnlyList<SpanDto> Spans, IReadOnlyList<GrpcCallDto> Calls);

public sealed record SpanEventDto(string Name, DateTime Time, IReadOnlyDictionary<string, string> Attributes);

public sealed record SpanDto(string TraceId, string SpanId, string? ParentSpanId, int Depth, string Name, string Kind, string Service,
    string InstanceId, string Scope, DateTime Start, double DurationMs, string Status, string? StatusMessage, string? RpcMethod,
    string? GrpcStatus, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<SpanEventDto> Events)
{
    public static SpanDto From(SpanNode node)
    {
        var s = node.Span;
        return new(s.TraceId, s.SpanId, s.ParentSpanId, node.Depth, s.Name, s.Kind.ToString(), s.Service, s.Resource.InstanceId, s.Scope,
            s.Start, s.Duration.TotalMilliseconds, s.Status.ToString(), s.StatusMessage, s.RpcMethod, s.GrpcStatus, Map(s.Attributes),
            [.. s.Events.Select(e => new SpanEventDto(e.Name, e.Time, Map(e.Attributes)))]);
    }

    /// <summary>Attribute lists may repeat a key (malformed input); the first value wins.</summary>
    public static IReadOnlyDictionary<string, string> Map(IEnumerable<AttributeEntry> attributes)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            map.TryAdd(attribute.Key, attribute.Value);
        }

        return map;
    }
}

/// <param name="UsedMs">The time the call used: the server's span, else the client's.</param>
/// <param name="BudgetSpentInTransitMs">Of the client's budget, the part gone before the server received the request; null without both sides.</param>
/// <param name="AspireTraceUrl">The call's trace in the Aspire dashboard; null when Insights:AspireDashboard:Url is not set.</param>
/// <param name="Reproduce">Shell lines that repeat the call; null unless Orders.Api recorded its whole request.</param>
public sealed record GrpcCallDto(string TraceId, string Method, string? CallType, string Status, DateTime Start,
    string? ClientSpanId, string? ClientService, string? ServerSpanId, string? ServerService, string? ServerInstance,
    double? ClientDurationMs, double? ServerDurationMs, double UsedMs, double? DeadlineMs, double? BudgetUsed, bool OverBudget,
    long? MessagesReceived, long? MessagesSent, bool HandlerCancelled, double? CancelledAfterMs, long? CancelledAtMessagesReceived,
    long? CancelledAtMessagesSent, string? RequestId, Uri? AspireTraceUrl, double? ClientDeadlineMs, double? ServerDeadlineMs,
    double? BudgetSpentInTransitMs, CallReproduction? Reproduce)
{
    public static GrpcCallDto From(GrpcCall c, AspireDashboardOptions aspire, ReproduceOptions reproduce) => new(c.TraceId, c.Method, c.CallType, c.Status, c.Start,
        c.Client?.SpanId, c.Client?.Service, c.Server?.SpanId, c.Server?.Service, c.Server?.Resource.InstanceId,
        c.Client?.Duration.TotalMilliseconds, c.Server?.Duration.TotalMilliseconds, c.Used.TotalMilliseconds, c.DeadlineMs, c.BudgetUsed, c.OverBudget,
        c.MessagesReceived, c.MessagesSent, c.HandlerCancelled, c.CancelledAt?.After.TotalMilliseconds, c.CancelledAt?.MessagesReceived,
        c.CancelledAt?.MessagesSent, c.RequestId, aspire.TraceUrl(c.TraceId), c.ClientDeadlineMs, c.ServerDeadlineMs,
        c.BudgetSpentInTransitMs, CallReproduction.For(c, reproduce));
}

/// <summary>
/// The store's fill and what its limits left out since start (see Insights:TelemetryLimits), and the exports being
/// parsed, waiting and refused (see Insights:Otlp:MaxConcurrentExports).
/// </summary>
public sealed record StoreStatusDto(int Traces, int MaxTraces, long StoreBytes, long MaxStoreBytes, long EvictedTraces, long DroppedSpans,
    long TruncatedAttributes, long DroppedEvents, int ExportsInFlight, int MaxExportsInFlight, int ExportsWaiting, long ExportsQueued,
    long ExportsRejected)
{
    public static StoreStatusDto From(TelemetryStore store, OtlpExportAdmission exports) => new(store.Traces.Count, store.Traces.MaxCount,
        store.Traces.Bytes, store.Traces.MaxBytes, store.Drops.EvictedTraces, store.Drops.DroppedSpans, store.Drops.TruncatedAttributes,
        store.Drops.DroppedEvents, exports.InFlight, exports.MaxInFlight, exports.Waiting, exports.Queued, exports.Rejected);
}
