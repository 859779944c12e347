using Microsoft.Extensions.Logging;

namespace Orders.Client.Interceptors;

/// <summary>The client interceptor's outcome line; field names match the server's (docs/telemetry.md).</summary>
internal static partial class ClientCallLog
{
    [LoggerMessage(EventId = 1, EventName = "GrpcCallEnded", Message = "{RpcMethod} ({CallType}) ended {StatusCode} in {ElapsedMs:0.0} ms; deadline {DeadlineRemainingMs:0} ms, sent {MessagesSent}, received {MessagesReceived}, request {OrdersRequestId}, detail \"{StatusDetail}\", metadata [{Metadata}]")]
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
        string statusDetail,
        string metadata);
}
