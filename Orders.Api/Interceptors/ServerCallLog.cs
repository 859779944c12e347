using System.Globalization;

namespace Orders.Api.Interceptors;

/// <summary>
/// The interceptor's structured log lines (fields in docs/telemetry.md). The call's x-request-id is
/// <c>OrdersRequestId</c>: ASP.NET Core's own request scope already has a <c>RequestId</c>, and exporters keep only one.
/// A call is one end line, in one of three shapes that leave out what is empty; a successful end is Debug and
/// the start Trace: console lines cost more than the call itself (benchmarks/results/profile.md), so production logs
/// failures only and Development, at Debug, one line per call.
/// </summary>
internal static partial class ServerCallLog
{
    [LoggerMessage(EventId = 1, EventName = "GrpcCallStarted", Level = LogLevel.Trace,
        Message = "gRPC {RpcMethod} ({CallType}) started from {Peer}; {Deadline}; request id {OrdersRequestId}; metadata: {Metadata}")]
    public static partial void CallStarted(
        ILogger logger, string rpcMethod, string callType, string peer, string deadline, string? ordersRequestId, string metadata);

    /// <summary>A call that ended without a status detail: every OK call.</summary>
    [LoggerMessage(EventId = 2, EventName = "GrpcCallEnded",
        Message = "gRPC {RpcMethod} ({CallType}) ended {StatusCode} after {ElapsedMs:0.0} ms; {Deadline}; received {MessagesReceived}, sent {MessagesSent}; request id {OrdersRequestId}")]
    public static partial void CallEnded(
        ILogger logger, LogLevel level, Exception? exception, string rpcMethod, string callType, string statusCode,
        double elapsedMs, string deadline, int messagesReceived, int messagesSent, string? ordersRequestId);

    /// <summary>A call that ended with a status detail (a failure) that its handler did not give up on.</summary>
    [LoggerMessage(EventId = 3, EventName = "GrpcCallFailed",
        Message = "gRPC {RpcMethod} ({CallType}) ended {StatusCode} after {ElapsedMs:0.0} ms: {StatusDetail}; {Deadline}; received {MessagesReceived}, sent {MessagesSent}; request id {OrdersRequestId}")]
    public static partial void CallFailed(
        ILogger logger, LogLevel level, Exception? exception, string rpcMethod, string callType, string statusCode, string statusDetail,
        double elapsedMs, string deadline, int messagesReceived, int messagesSent, string? ordersRequestId);

    /// <summary>A call whose handler saw it cancelled (by the client, its deadline or a reset) and stopped.</summary>
    [LoggerMessage(EventId = 4, EventName = "GrpcCallCancelled",
        Message = "gRPC {RpcMethod} ({CallType}) ended {StatusCode} after {ElapsedMs:0.0} ms, handler cancelled: {StatusDetail}; {Deadline}; received {MessagesReceived}, sent {MessagesSent}; request id {OrdersRequestId}")]
    public static partial void CallCancelled(
        ILogger logger, LogLevel level, string rpcMethod, string callType, string statusCode, string statusDetail,
        double elapsedMs, string deadline, int messagesReceived, int messagesSent, string? ordersRequestId);

    /// <summary>The <c>Deadline</c> field: what the call had left when it arrived, or that it came without a deadline.</summary>
    public static string Deadline(double? remainingMs) =>
        remainingMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $"deadline remaining {ms:0} ms") : "no deadline";
}
