using OrdersAspire.Shared;
using OrdersAspire.GrpcInsights.Store;

namespace Orders.Tests.GrpcInsights;

/// <summary>Spans for the store tests: plain spans, gRPC call sides with their rpc.* attributes, and spans of a chosen size.</summary>
internal static class StoredSpans
{
    public static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    public static readonly ResourceIdentity ClientResource = new("orders-client", "client-1");
    public static readonly ResourceIdentity ApiResource = new("orders-api", "api-1");

    public static SpanData Big(string traceId, string spanId, int valueLength) =>
        Span(traceId, spanId, null, SpanKind.Internal, ApiResource, 0, 1) with { Attributes = [new("payload", new string('x', valueLength))] };

    public static string[] Ids(TraceQueryResult result) => [.. result.Traces.Select(t => t.TraceId)];

    public static SpanData Span(string traceId, string spanId, string? parent, SpanKind kind, ResourceIdentity resource, int startMs, int durationMs) => new()
    {
        TraceId = traceId,
        SpanId = spanId,
        ParentSpanId = parent,
        Name = "span " + spanId,
        Kind = kind,
        Resource = resource,
        Start = T0.AddMilliseconds(startMs),
        End = T0.AddMilliseconds(startMs + durationMs),
    };

    public static SpanData Rpc(string traceId, string spanId, string? parent, SpanKind kind, ResourceIdentity resource, string status,
        int startMs, int durationMs, params (string Key, string Value)[] extra) =>
        Span(traceId, spanId, parent, kind, resource, startMs, durationMs) with
        {
            Name = "ecommerce.OrderManagement/addOrder",
            Attributes = [.. RpcTags("addOrder", GrpcStatusNames.CodeOf(status)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. extra.Select(e => new AttributeEntry(e.Key, e.Value))],
            Status = status is "DEADLINE_EXCEEDED" ? SpanStatusCode.Error : SpanStatusCode.Unset,
        };

    /// <summary>A gRPC call's rpc.* attributes (older semconv); no status code when <paramref name="code"/> is null.</summary>
    public static AttributeEntry[] RpcTags(string method, string? code) =>
        [new("rpc.system", "grpc"), new("rpc.service", "ecommerce.OrderManagement"), new("rpc.method", method), .. code is null ? [] : new AttributeEntry[] { new("rpc.grpc.status_code", code) }];
}
