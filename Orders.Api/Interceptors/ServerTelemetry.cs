using System.Diagnostics;

namespace Orders.Api.Interceptors;

/// <summary>Names of the server-side telemetry (TELEMETRY.md), shared by the interceptor and the metrics.</summary>
public static class ServerTelemetry
{
    public const string SourceName = "Orders.Api";

    public static readonly ActivitySource ActivitySource = new(SourceName);

    // GrpcNetClient 1.20.1-beta.1 emits the experimental RPC set (rpc.grpc.status_code int) by default and the
    // newer one (rpc.system.name, rpc.response.status_code string) under OTEL_SEMCONV_STABILITY_OPT_IN=rpc; we mirror it.
    public const string RpcSystem = "rpc.system";
    public const string RpcSystemName = "rpc.system.name";
    public const string RpcService = "rpc.service";
    public const string RpcMethod = "rpc.method";
    public const string GrpcStatusCode = "rpc.grpc.status_code";
    public const string ResponseStatusCode = "rpc.response.status_code";
    public const string CallType = "rpc.grpc.call_type";
    public const string DeadlineMs = "rpc.grpc.deadline_ms";
    public const string MessagesReceived = "rpc.grpc.messages_received";
    public const string MessagesSent = "rpc.grpc.messages_sent";
    public const string HandlerCancelled = "rpc.grpc.handler_cancelled";
    public const string RequestId = "orders.request_id";

    public const string CancelledEvent = "rpc.cancelled";
    public const string RequestIdHeader = "x-request-id";
}
