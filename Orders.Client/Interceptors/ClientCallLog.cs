using Microsoft.Extensions.Logging;

namespace Orders.Client.Interceptors;

/// <summary>
/// The client interceptor's outcome line, one per call; field names match the server's (docs/telemetry.md). A call
/// with a status detail is <c>GrpcCallFailed</c>, so one without has no empty detail.
/// </summary>
internal static partial class ClientCallLog
{
    [LoggerMessage(EventId = 1, EventName = "GrpcCallEnded", Message = "{RpcMethod} ({CallType}) ended {StatusCode} in {ElapsedMs:0.0} ms; deadline {DeadlineRemainingMs:0} ms, sent {MessagesSent}, received {MessagesReceived}, request {OrdersRequestId}, metadata [{Metadata}]")]
    public static partial void CallEnded(
        ILogger logger,
        LogLevel level,
        string rpcMethod,
        string callType,
        string statusCode,
        double elapsedMs,
        double deadlineRemainingMs,
        int messagesSent,
        int messagesReceived,
        string ordersRequestId,
        string metadata);

    [LoggerMessage(EventId = 2, EventName = "GrpcCallFailed", Message = "{RpcMethod} ({CallType}) ended {StatusCode} in {ElapsedMs:0.0} ms: {StatusDetail}; deadline {DeadlineRemainingMs:0} ms, sent {MessagesSent}, received {MessagesReceived}, request {OrdersRequestId}, metadata [{Metadata}]")]
    public static partial void CallFailed(
        ILogger logger,
        LogLevel level,
        string rpcMethod,
        string callType,
        string statusCode,
        string statusDetail,
        double elapsedMs,
        double deadlineRemainingMs,
        int messagesSent,
        int messagesReceived,
        string ordersRequestId,
        string metadata);
}
