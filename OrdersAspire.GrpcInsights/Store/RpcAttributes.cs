namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// The span attribute names the insights read: both generations of the OpenTelemetry RPC semantic conventions, plus
/// this project's gRPC extras (docs/telemetry.md). Self-contained, so it can become a file shared with the services.
/// </summary>
public static class RpcAttributes
{
    // Older semconv: rpc.system = "grpc", rpc.service + rpc.method, an int rpc.grpc.status_code.
    public const string System = "rpc.system";
    public const string Service = "rpc.service";
    public const string Method = "rpc.method";
    public const string GrpcStatusCode = "rpc.grpc.status_code";

    // Newer semconv: rpc.system.name = "grpc", the full method in rpc.method, a string rpc.response.status_code.
    public const string SystemName = "rpc.system.name";
    public const string ResponseStatusCode = "rpc.response.status_code";

    public const string GrpcSystem = "grpc";

    // The project's extras, set by the server interceptor.
    public const string CallType = "rpc.grpc.call_type";
    public const string DeadlineMs = "rpc.grpc.deadline_ms";
    public const string MessagesReceived = "rpc.grpc.messages_received";
    public const string MessagesSent = "rpc.grpc.messages_sent";
    public const string HandlerCancelled = "rpc.grpc.handler_cancelled";
    public const string RequestId = "orders.request_id";

    /// <summary>The span event recording where a cancelled call stopped (with the message counts at that moment).</summary>
    public const string CancelledEvent = "rpc.cancelled";

    /// <summary>
    /// The older semconv splits service and method ("ecommerce.OrderManagement" + "getOrder"); the newer one
    /// puts the full name in rpc.method. Both read as "ecommerce.OrderManagement/getOrder".
    /// </summary>
    public static string? FullMethod(string? service, string? method) => (service, method) switch
    {
        (_, null) => null,
        (null, _) => method,
        _ when method.Contains('/', StringComparison.Ordinal) => method,
        _ => $"{service}/{method}",
    };
}
