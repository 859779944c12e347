using System.Globalization;
using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.Shared;

namespace Orders.Tests.GrpcInsights.Store;

/// <summary>Spans as the OTLP receiver stores them, for tests that drive the store's types directly.</summary>
internal static class StoreSpans
{
    public static readonly DateTime T0 = StoredSpans.T0;

    /// <summary><see cref="StoredSpans.Span"/> with its parts named, the service's instance "&lt;service&gt;-1".</summary>
    public static SpanData Span(string spanId, string? parent = null, SpanKind kind = SpanKind.Internal, string service = "orders-api",
        int startMs = 0, int durationMs = 1, string traceId = "t1", params (string Key, string Value)[] attributes) =>
        StoredSpans.Span(traceId, spanId, parent, kind, new ResourceIdentity(service, service + "-1"), startMs, durationMs) with
        {
            Attributes = [.. attributes.Select(a => new AttributeEntry(a.Key, a.Value))],
        };

    /// <summary>A gRPC call side of the older semconv: rpc.system, rpc.service + rpc.method, and the numeric status when given.</summary>
    public static SpanData CallSide(string spanId, string? parent, SpanKind kind, string method = "getOrder", string? status = "OK",
        int startMs = 0, int durationMs = 1, string traceId = "t1", params (string Key, string Value)[] extra)
    {
        var rpc = StoredSpans.RpcTags(method, status is null ? null : GrpcStatusNames.CodeOf(status)!.Value.ToString(CultureInfo.InvariantCulture))
            .Select(tag => (tag.Key, tag.Value));
        var service = kind == SpanKind.Client ? "orders-client" : "orders-api";
        return Span(spanId, parent, kind, service, startMs, durationMs, traceId, [.. rpc, .. extra]) with { Name = $"ecommerce.OrderManagement/{method}" };
    }

    /// <summary>The one trace a fresh store assembles from these spans.</summary>
    public static TraceDetail Trace(params SpanData[] spans)
    {
        var store = new TraceStore(10);
        store.Add(spans);
        return store.Get(spans[0].TraceId)!;
    }
}
