namespace Orders.Api.Interceptors;

/// <summary>
/// The interceptor's structured log lines (fields in docs/telemetry.md). The call's x-request-id is
/// <c>OrdersRequestId</c>: ASP.NET Core's own request scope already has a <c>RequestId</c>, and exporters keep only one.
/// A call's start and a successful end are Debug: two console lines per call cost more than the call itself
/// (benchmarks/results/profile.md), so production logs failures only and Development turns Debug on for every call.
/// </summary>
internal static partial class ServerCallLog
{
    [LoggerMessage(EventId = 1, EventName = "GrpcCallStarted", Level = LogLevel.Debug,
        Message = "gRPC {RpcMethod} ({CallType}) started from {Peer}; deadline remaining {DeadlineRemainingMs} ms; request id {OrdersRequestId}; metadata: {Metadata}")]
    public static partial void CallStarted(
        ILogger logger, string rpcMethod, string callType, string peer, double? deadlineRemainingMs, string? ordersRequestId, string metadata);

    [LoggerMessage(EventId = 2, EventName = "GrpcCallEnded",
        Message = "gRPC {RpcMethod} ({CallType}) ended {StatusCode} '{StatusDetail}' after {ElapsedMs} ms; received {MessagesReceived}, sent {MessagesSent}; handler cancelled {HandlerCancelled}; request id {OrdersRequestId}")]
    public static partial void CallEnded(
        ILogger logger, LogLevel level, Exception? exception, string rpcMethod, string callType, string statusCode, string statusDetail,
        double elapsedMs, int messagesReceived, int messagesSent, bool handlerCancelled, string? ordersRequestId);
}
