namespace Orders.Api.Interceptors;

/// <summary>The interceptor's structured log lines (field names pinned in TELEMETRY.md).</summary>
internal static partial class ServerCallLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "gRPC {RpcMethod} ({CallType}) started from {Peer}; deadline remaining {DeadlineRemainingMs} ms; request id {RequestId}; metadata: {Metadata}")]
    public static partial void CallStarted(
        ILogger logger, string rpcMethod, string callType, string peer, double? deadlineRemainingMs, string? requestId, string metadata);

    [LoggerMessage(EventId = 2,
        Message = "gRPC {RpcMethod} ({CallType}) ended {StatusCode} '{StatusDetail}' after {ElapsedMs} ms; received {MessagesReceived}, sent {MessagesSent}; handler cancelled {HandlerCancelled}; request id {RequestId}")]
    public static partial void CallEnded(
        ILogger logger, LogLevel level, Exception? exception, string rpcMethod, string callType, string statusCode, string statusDetail,
        double elapsedMs, int messagesReceived, int messagesSent, bool handlerCancelled, string? requestId);
}
