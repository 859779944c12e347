using System.Globalization;
using OrdersAspire.GrpcInsights.Store;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// A traced call as the insights hold it: a client span and the Orders.Api server span below it, the server's with the
/// request messages Orders.Api records when it captures them (docs/telemetry.md), assembled by a real <see cref="TraceStore"/>.
/// </summary>
internal static class RecordedCalls
{
    private static readonly DateTime Start = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <param name="messages">The request messages' JSON; null records none (capture off).</param>
    /// <param name="server">Extra attributes of the server span, e.g. rpc.grpc.deadline_ms or the capped marker.</param>
    /// <param name="client">Extra attributes of the client span; server.address and server.port are 127.0.0.1:5001 unless replaced.</param>
    public static GrpcCall Call(string method, string callType, string[]? messages,
        (string Key, string Value)[]? server = null, (string Key, string Value)[]? client = null)
    {
        var traceId = Guid.NewGuid().ToString("N");
        AttributeEntry[] rpc = [new("rpc.system", "grpc"), new("rpc.service", "ecommerce.OrderManagement"), new("rpc.method", method), new("rpc.grpc.status_code", "0"), new("rpc.grpc.call_type", callType)];
        (string Key, string Value)[] address = [("server.address", "127.0.0.1"), ("server.port", "5001")];
        var clientSpan = new SpanData
        {
            TraceId = traceId, SpanId = "c1", Name = $"ecommerce.OrderManagement/{method}", Kind = SpanKind.Client,
            Resource = new ResourceIdentity("orders-client", "c"), Start = Start, End = Start.AddMilliseconds(20),
            Attributes = [.. rpc, .. Merge(address, client ?? []).Select(a => new AttributeEntry(a.Key, a.Value))],
        };
        List<AttributeEntry> serverAttributes = [.. rpc, .. (server ?? []).Select(a => new AttributeEntry(a.Key, a.Value))];
        if (messages is not null && !serverAttributes.Any(a => a.Key == "rpc.grpc.messages_captured"))
        {
            serverAttributes.Add(new("rpc.grpc.messages_captured", messages.Length.ToString(CultureInfo.InvariantCulture)));
        }

        var serverSpan = new SpanData
        {
            TraceId = traceId, SpanId = "s1", ParentSpanId = "c1", Name = $"ecommerce.OrderManagement/{method}", Kind = SpanKind.Server,
            Resource = new ResourceIdentity("orders-api", "s"), Start = Start.AddMilliseconds(2), End = Start.AddMilliseconds(18),
            Attributes = serverAttributes,
            Events = [.. (messages ?? []).Select((json, i) => new SpanEvent("rpc.grpc.request_message", Start.AddMilliseconds(3),
                [new("rpc.message.id", (i + 1).ToString(CultureInfo.InvariantCulture)), new("rpc.grpc.message_json", json)]))],
        };
        var store = new TraceStore(10);
        store.Add([clientSpan, serverSpan]);
        return Assert.Single(store.Calls(10));
    }

    private static IEnumerable<(string Key, string Value)> Merge((string Key, string Value)[] defaults, (string Key, string Value)[] given) =>
        defaults.Where(d => given.All(g => g.Key != d.Key)).Concat(given);
}
