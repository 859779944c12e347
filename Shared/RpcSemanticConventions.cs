using System.Collections.Concurrent;

namespace OrdersAspire.Shared;

/// <summary>
/// The telemetry vocabulary of the Orders services (docs/telemetry.md): ActivitySource and Meter names, span and
/// metric attribute names, event names and metric names. Spans and metrics carry the experimental RPC set that the
/// Aspire dashboard reads (rpc.system, rpc.service, short rpc.method, int rpc.grpc.status_code) plus the newer names
/// that do not clash with it (rpc.system.name, string rpc.response.status_code, error.type).
/// </summary>
internal static class RpcSemanticConventions
{
    public const string OrdersApiSource = "Orders.Api";
    public const string OrdersClientSource = "Orders.Client";

    /// <summary>Every ActivitySource and Meter of this solution matches this wildcard.</summary>
    public const string OrdersSourcesWildcard = "Orders.*";

    public const string GrpcSystem = "grpc";

    public const string RpcSystem = "rpc.system";
    public const string RpcSystemName = "rpc.system.name";
    public const string RpcService = "rpc.service";
    public const string RpcMethod = "rpc.method";
    public const string GrpcStatusCode = "rpc.grpc.status_code";
    public const string ResponseStatusCode = "rpc.response.status_code";
    public const string ErrorType = "error.type";

    public const string CallType = "rpc.grpc.call_type";
    public const string DeadlineMs = "rpc.grpc.deadline_ms";
    public const string MessagesReceived = "rpc.grpc.messages_received";
    public const string MessagesSent = "rpc.grpc.messages_sent";
    public const string HandlerCancelled = "rpc.grpc.handler_cancelled";
    public const string RequestId = "orders.request_id";

    // Request message capture (Orders:Telemetry:CaptureMessages): one event per message, the call's tally on its span.
    public const string RequestMessageEvent = "rpc.grpc.request_message";
    /// <summary>The message's place in the request, from 1, as OpenTelemetry's message events number them.</summary>
    public const string MessageId = "rpc.message.id";
    public const string MessageJson = "rpc.grpc.message_json";
    public const string MessagesCaptured = "rpc.grpc.messages_captured";
    public const string MessagesCapped = "rpc.grpc.messages_capped";
    public const string MessagesLeftOut = "rpc.grpc.messages_left_out";

    /// <summary>OpenTelemetry's name for a request metadata value: this prefix and the key.</summary>
    public const string RequestMetadataPrefix = "rpc.grpc.request.metadata.";
    public const string DelayMetadata = RequestMetadataPrefix + OrdersHeaders.DelayMs;

    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string UrlScheme = "url.scheme";
    public const string NetworkPeerAddress = "network.peer.address";
    public const string NetworkPeerPort = "network.peer.port";
    public const string OrderId = "order.id";

    public const string CancelledEvent = "rpc.cancelled";
    public const string OrderNotFoundEvent = "order.not_found";

    // Built once per method and per status and then shared: these attributes are added to every call's span and metrics.
    private static readonly ConcurrentDictionary<string, KeyValuePair<string, object?>[]> Identities = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> SpanNames = new(StringComparer.Ordinal);
    private static readonly KeyValuePair<string, object?>[][] Outcomes = [.. Enumerable.Range(0, 17).Select(NewCallOutcome)];

    /// <summary>The attributes naming a call, from its wire name "/ecommerce.OrderManagement/getOrder".</summary>
    public static KeyValuePair<string, object?>[] CallIdentity(string wireMethod) => Identities.GetOrAdd(wireMethod, NewCallIdentity);

    /// <summary>A call's span name from its wire name: "ecommerce.OrderManagement/getOrder", OpenTelemetry's RPC span name.</summary>
    public static string SpanName(string wireMethod) => SpanNames.GetOrAdd(wireMethod, static method => method.TrimStart('/'));

    /// <summary>The attributes of a call's outcome: its status as int and as name, and error.type when it failed.</summary>
    public static KeyValuePair<string, object?>[] CallOutcome(int statusCode) =>
        statusCode >= 0 && statusCode < Outcomes.Length ? Outcomes[statusCode] : NewCallOutcome(statusCode);

    private static KeyValuePair<string, object?>[] NewCallIdentity(string wireMethod)
    {
        var fullName = wireMethod.TrimStart('/');
        var slash = fullName.LastIndexOf('/');
        return
        [
            new(RpcSystem, GrpcSystem),
            new(RpcSystemName, GrpcSystem),
            new(RpcService, slash < 0 ? "" : fullName[..slash]),
            new(RpcMethod, fullName[(slash + 1)..]),
        ];
    }

    private static KeyValuePair<string, object?>[] NewCallOutcome(int statusCode)
    {
        var name = GrpcStatusNames.Of(statusCode);
        return statusCode == 0
            ? [new(GrpcStatusCode, statusCode), new(ResponseStatusCode, name)]
            : [new(GrpcStatusCode, statusCode), new(ResponseStatusCode, name), new(ErrorType, name)];
    }
}
