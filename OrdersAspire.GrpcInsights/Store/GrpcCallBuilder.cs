using OrdersAspire.Shared;
using System.Globalization;

namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// Pairs the gRPC spans of one trace into calls. A call side is a Client or Server span with either generation of
/// the RPC attributes; a server span belongs to the call of its nearest call-side ancestor. Orders.Api makes one server
/// span per call, the client span's child; a service may make several (e.g. an HTTP server span with an interceptor's
/// span below it): each extra is then read from whichever server span carries it, the deepest first.
/// </summary>
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
        foreach (var span in spansInTreeOrder.Where(s => s.IsGrpcCallSide))
        {
            if (span.Kind == SpanKind.Server && NearestCallSideAncestor(span, byId) is { } ancestor
                && callOfSpan.TryGetValue(ancestor.SpanId, out var call))
            {
                call.Servers.Insert(0, span);
                callOfSpan[span.SpanId] = call;
                continue;
            }

            var sides = new CallSides();
            if (span.Kind == SpanKind.Client)
            {
                sides.Client = span;
            }
            else
            {
                sides.Servers.Add(span);
            }

            callOfSpan[span.SpanId] = sides;
            calls.Add(sides);
        }

        return [.. calls.Select(ToCall)];
    }

    private sealed class CallSides
    {
        public SpanData? Client { get; set; }

        /// <summary>The call's server spans, deepest first.</summary>
        public List<SpanData> Servers { get; } = [];
    }

    private static SpanData? NearestCallSideAncestor(SpanData span, Dictionary<string, SpanData> byId)
    {
        var current = span;
        for (var hops = 0; hops < byId.Count && current.ParentSpanId is { } parentId && byId.TryGetValue(parentId, out var parent); hops++)
        {
            if (parent.IsGrpcCallSide)
            {
                return parent;
            }

            current = parent;
        }

        return null;
    }

    private static GrpcCall ToCall(CallSides sides)
    {
        var client = sides.Client;
        var server = sides.Servers.FirstOrDefault();
        var primary = (client ?? server)!;
        // Servers first (deepest first), then the client: the first span that has a value gives it.
        IEnumerable<SpanData> sources = client is null ? sides.Servers : [.. sides.Servers, client];
        string? Extra(string key) => sources.Select(s => s.Attribute(key)).FirstOrDefault(v => v is not null);

        var cancelledSpan = sources.FirstOrDefault(s => s.Events.Any(e => e.Name == RpcSemanticConventions.CancelledEvent));
        var cancelled = cancelledSpan?.Events.First(e => e.Name == RpcSemanticConventions.CancelledEvent);
        return new GrpcCall
        {
            TraceId = primary.TraceId,
            // A call side is a gRPC span, whose rpc method falls back to its name: never null.
            Method = primary.RpcMethod!,
            CallType = Extra(RpcSemanticConventions.CallType),
            Status = client?.GrpcStatus ?? sides.Servers.Select(s => s.GrpcStatus).FirstOrDefault(s => s is not null) ?? "UNKNOWN",
            Start = primary.Start,
            Client = client,
            Server = server,
            ClientDeadlineMs = Number(client?.Attribute(RpcSemanticConventions.DeadlineMs)),
            ServerDeadlineMs = Number(sides.Servers.Select(s => s.Attribute(RpcSemanticConventions.DeadlineMs)).FirstOrDefault(v => v is not null)),
            MessagesReceived = Count(Extra(RpcSemanticConventions.MessagesReceived)),
            MessagesSent = Count(Extra(RpcSemanticConventions.MessagesSent)),
            HandlerCancelled = string.Equals(Extra(RpcSemanticConventions.HandlerCancelled), "true", StringComparison.OrdinalIgnoreCase),
            RequestId = Extra(RpcSemanticConventions.RequestId),
            Request = RecordedRequest.From(client, client is null ? sides.Servers : [client, .. sides.Servers]),
            CancelledAt = cancelled is null
                ? null
                : new CancellationPoint(
                    cancelled.Time - cancelledSpan!.Start,
                    Count(AttributeEntry.Find(cancelled.Attributes, RpcSemanticConventions.MessagesReceived)),
                    Count(AttributeEntry.Find(cancelled.Attributes, RpcSemanticConventions.MessagesSent))),
        };
    }

    // "NaN" and "Infinity" parse as doubles but are no deadline; a non-finite budget would also break the JSON API.
    private static double? Number(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : null;

    private static long? Count(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : null;
}
