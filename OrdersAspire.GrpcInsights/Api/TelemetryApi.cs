using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Store;

namespace OrdersAspire.GrpcInsights.Api;

/// <summary>The read-only JSON API over the store, for scripts and tests.</summary>
internal static class TelemetryApi
{
    private const int MaxLimit = 10_000;

    public static void MapTelemetryApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");

        api.MapGet("/traces", (TelemetryStore store, AspireDashboardOptions aspire, string? service, string? status, string? method, string? text, int? limit) =>
        {
            var result = store.Traces.Query(new TraceQuery(service, status?.ToUpperInvariant(), method, text, Limit(limit, 100)));
            return new TraceListDto(result.MatchCount, result.TotalCount, [.. result.Traces.Select(t => TraceSummaryDto.From(t, aspire))]);
        });

        api.MapGet("/traces/{traceId}", (TelemetryStore store, AspireDashboardOptions aspire, ReproduceOptions reproduce, string traceId) =>
            store.Traces.Get(traceId.ToLowerInvariant()) is { } trace
                ? Results.Ok(new TraceDto(TraceSummaryDto.From(trace.Summary, aspire), [.. trace.Spans.Select(SpanDto.From)],
                    [.. trace.Calls.Select(c => GrpcCallDto.From(c, aspire, reproduce))]))
                : Results.NotFound());

        api.MapGet("/grpc/calls", (TelemetryStore store, AspireDashboardOptions aspire, ReproduceOptions reproduce, string? method, string? status, int? limit) =>
            store.Traces.Calls(store.Limits.MaxTraceCount)
                .Where(c => (string.IsNullOrEmpty(method) || c.Method.Contains(method, StringComparison.OrdinalIgnoreCase))
                    && (string.IsNullOrEmpty(status) || string.Equals(c.Status, status, StringComparison.OrdinalIgnoreCase)))
                .Take(Limit(limit, 500))
                .Select(c => GrpcCallDto.From(c, aspire, reproduce)));

        api.MapGet("/grpc/advice", (TelemetryStore store, string? window) => AdviceWindow.Parse(window) is { } picked
            ? Results.Ok(DeadlineAdvisor.Advise(store.Traces.Calls(store.Limits.MaxTraceCount), picked, DateTime.UtcNow))
            : Results.BadRequest(new { error = AdviceWindow.Expected }));

        api.MapGet("/status", StoreStatusDto.From);
    }

    private static int Limit(int? requested, int fallback) => Math.Clamp(requested ?? fallback, 0, MaxLimit);
}
