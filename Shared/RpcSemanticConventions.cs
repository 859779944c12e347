using System.Collections.Concurrent;

namespace OrdersAspire.Shared;

/// <summary>
/// The telemetry vocabulary of the Orders services (docs/telemetry.md): ActivitySource and Meter names, span and
/// metric attribute names, event names and metric names. Spans and metrics carry the experimental RPC set that the
/// Aspire dashboard reads (rpc.system, rpc.service, short rpc.method, int rpc.grpc.status_code) and error.type; the
/// newer names that do not clash with it (rpc.system.name, string rpc.response.status_code) only when
/// OTEL_SEMCONV_STABILITY_OPT_IN asks for them.
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

    /// <summary>
    /// OpenTelemetry's switch for a convention's newer attribute names: "rpc" (newer only) or "rpc/dup" (both) among
    /// its comma-separated values. Both ask for the newer names beside the older set here, which stays either way.
    /// </summary>
    public const string StabilityOptIn = "OTEL_SEMCONV_STABILITY_OPT_IN";

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
    // Indexed [newerNames ? 1 : 0].
    private static readonly ConcurrentDictionary<string, KeyValuePair<string, object?>[]>[] Identities =
        [new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private static readonly ConcurrentDictionary<string, string> SpanNames = new(StringComparer.Ordinal);
    private static readonly KeyValuePair<string, object?>[][][] Outcomes =
        [[.. Enumerable.Range(0, 17).Select(code => NewCallOutcome(code, false))], [.. Enumerable.Range(0, 17).Select(code => NewCallOutcome(code, true))]];

    /// <summary>True when <paramref name="stabilityOptIn"/> (<see cref="StabilityOptIn"/>'s value) asks for the newer RPC names.</summary>
    public static bool WritesNewerNames(string? stabilityOptIn) =>
        stabilityOptIn?.Split(',', StringSplitOptions.TrimEntries).Any(value => value is "rpc" or "rpc/dup") == true;

    /// <summary>The attributes naming a call, from its wire name "/ecommerce.OrderManagement/getOrder".</summary>
    public static KeyValuePair<string, object?>[] CallIdentity(string wireMethod, bool newerNames) =>
        Identities[newerNames ? 1 : 0].GetOrAdd(wireMethod, NewCallIdentity, newerNames);

    /// <summary>A call's span name from its wire name: "ecommerce.OrderManagement/getOrder", OpenTelemetry's RPC span name.</summary>
    public static string SpanName(string wireMethod) => SpanNames.GetOrAdd(wireMethod, static method => method.TrimStart('/'));

    /// <summary>The attributes of a call's outcome: its status as int (and as name), and error.type when it failed.</summary>
    public static KeyValuePair<string, object?>[] CallOutcome(int statusCode, bool newerNames) =>
        statusCode >= 0 && statusCode < Outcomes[0].Length ? Outcomes[newerNames ? 1 : 0][statusCode] : NewCallOutcome(statusCode, newerNames);

    private static KeyValuePair<string, object?>[] NewCallIdentity(string wireMethod, bool newerNames)
    {
        var fullName = wireMethod.TrimStart('/');
        var slash = fullName.LastIndexOf('/');
        KeyValuePair<string, object?>[] older =
        [
            new(RpcSystem, GrpcSystem),
            new(RpcService, slash < 0 ? "" : fullName[..slash]),
            new(RpcMethod, fullName[(slash + 1)..]),
        ];
        return newerNames ? [.. older, new(RpcSystemName, GrpcSystem)] : older;
    }

    private static KeyValuePair<string, object?>[] NewCallOutcome(int statusCode, bool newerNames)
    {
        var name = GrpcStatusNames.Of(statusCode);
        KeyValuePair<string, object?>[] older = statusCode == 0 ? [new(GrpcStatusCode, statusCode)] : [new(GrpcStatusCode, statusCode), new(ErrorType, name)];
        return newerNames ? [.. older, new(ResponseStatusCode, name)] : older;
    }
}
