using System.Globalization;

namespace OrdersAspire.GrpcInsights.Store;

/// <summary>Pairs the RPC spans of one trace into calls: a server span belongs to its nearest RPC ancestor.</summary>
internal static class GrpcCallBuilder
{
    public static IReadOnlyList<GrpcCall> Build(IReadOnlyList<SpanData> spansInTreeOrder)
    {
        var byId = new Dictionary<string, SpanData>(spansInTreeOrder.Count);
        foreach (var span in spansInTreeOrder)
        {
            byId.TryAdd(span.SpanId, span);
        }

        // Tree order visits parents first, so a call exists before any server span below it looks for it.
        var callOfSpan = new Dictionary<string, CallSides>();
        var calls = new List<CallSides>();
        foreach (var span in spansInTreeOrder.Where(s => s.IsGrpc))
        {
            if (span.Kind != SpanKind.Client && NearestRpcAncestor(span, byId) is { } ancestor
                && callOfSpan.TryGetValue(ancestor.SpanId, out var call))
            {
                // Deeper server spans win: the interceptor span (deadline, message counts) sits below the HTTP span.
                call.Server = span;
                callOfSpan[span.SpanId] = call;
                continue;
            }

            var sides = span.Kind == SpanKind.Client ? new CallSides { Client = span } : new CallSides { Server = span };
            callOfSpan[span.SpanId] = sides;
            calls.Add(sides);
        }

        return [.. calls.Select(sides => ToCall(sides.Client, sides.Server))];
    }

    private sealed class CallSides
    {
        public SpanData? Client { get; set; }
        public SpanData? Server { get; set; }
    }

    private static SpanData? NearestRpcAncestor(SpanData span, Dictionary<string, SpanData> byId)
    {
        var current = span;
        for (var hops = 0; hops < byId.Count && current.ParentSpanId is { } parentId && byId.TryGetValue(parentId, out var parent); hops++)
        {
            if (parent.IsGrpc)
            {
                return parent;
            }

            current = parent;
        }

        return null;
    }

    private static GrpcCall ToCall(SpanData? client, SpanData? server)
    {
        var primary = (client ?? server)!;
        var detail = server ?? client!;
        var cancelled = detail.Events.FirstOrDefault(e => e.Name == RpcAttributes.CancelledEvent);
        return new GrpcCall
        {
            TraceId = primary.TraceId,
            Method = primary.RpcMethod ?? primary.Name,
            CallType = server?.Attribute(RpcAttributes.CallType) ?? client?.Attribute(RpcAttributes.CallType),
            Status = client?.GrpcStatus ?? server?.GrpcStatus ?? "UNKNOWN",
            Start = primary.Start,
            Client = client,
            Server = server,
            DeadlineMs = Number(server?.Attribute(RpcAttributes.DeadlineMs) ?? client?.Attribute(RpcAttributes.DeadlineMs)),
            MessagesReceived = Count(detail.Attribute(RpcAttributes.MessagesReceived)),
            MessagesSent = Count(detail.Attribute(RpcAttributes.MessagesSent)),
            HandlerCancelled = string.Equals(detail.Attribute(RpcAttributes.HandlerCancelled), "true", StringComparison.OrdinalIgnoreCase),
            CancelledAt = cancelled is null
                ? null
                : new CancellationPoint(
                    cancelled.Time - detail.Start,
                    Count(cancelled.Attributes.FirstOrDefault(a => a.Key == RpcAttributes.MessagesReceived)?.Value),
                    Count(cancelled.Attributes.FirstOrDefault(a => a.Key == RpcAttributes.MessagesSent)?.Value)),
        };
    }

    private static double? Number(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static long? Count(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : null;
}
