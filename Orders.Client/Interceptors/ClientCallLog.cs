using Microsoft.Extensions.Logging;

namespace Orders.Client.Interceptors;

internal static partial class ClientCallLog
{
    [LoggerMessage(EventId = 1, Message = "{RpcMethod} ({CallType}) ended {StatusCode} in {ElapsedMs:0.0} ms; deadline {DeadlineRemainingMs:0} ms, sent {MessagesSent}, received {MessagesReceived}, request {RequestId}, detail \"{StatusDetail}\", metadata [{Metadata}]")]
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
        string requestId,
        string statusDetail,
        string metadata);
}
