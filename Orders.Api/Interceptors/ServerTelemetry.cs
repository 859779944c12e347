using System.Diagnostics;

namespace Orders.Api.Interceptors;

/// <summary>Names of the server-side telemetry (TELEMETRY.md), shared by the interceptor and the metrics.</summary>
public static class ServerTelemetry
{
    public const string SourceName = "Orders.Api";

    public static readonly ActivitySource ActivitySource = new(SourceName);

    // GrpcNetClient 1.20.1-beta.1 always emits the newer RPC set (observed: rpc.system.name, rpc.method
    // "ecommerce.OrderManagement/getOrder", rpc.response.status_code "NOT_FOUND", error.type; the opt-in env var is not
    // read), so the server span uses it too, plus the experimental rpc.system/rpc.service/rpc.grpc.status_code for older readers.
    public const string RpcSystemName = "rpc.system.name";
    public const string RpcMethod = "rpc.method";
    public const string ResponseStatusCode = "rpc.response.status_code";
    public const string ErrorType = "error.type";
    public const string RpcSystem = "rpc.system";
    public const string RpcService = "rpc.service";
    public const string GrpcStatusCode = "rpc.grpc.status_code";
    public const string CallType = "rpc.grpc.call_type";
    public const string DeadlineMs = "rpc.grpc.deadline_ms";
    public const string MessagesReceived = "rpc.grpc.messages_received";
    public const string MessagesSent = "rpc.grpc.messages_sent";
    public const string HandlerCancelled = "rpc.grpc.handler_cancelled";
    public const string RequestId = "orders.request_id";

    public const string CancelledEvent = "rpc.cancelled";
    public const string RequestIdHeader = "x-request-id";
}
