using Grpc.Core;
using Orders.Api.Services;
using Orders.Api.Storage;

namespace Orders.Api.Interceptors;

/// <summary>The one place where handler exceptions become gRPC statuses; nothing but the status reaches the client.</summary>
public static class RpcExceptionMapper
{
    public static RpcException ToRpcException(Exception exception, ServerCallContext context, DateTime utcNow) => exception switch
    {
        RpcException rpc => rpc,
        OrderStoreUnavailableException => RpcErrors.StoreUnavailable(),
        _ when context.CancellationToken.IsCancellationRequested => Cancelled(context, utcNow),
        _ => RpcErrors.Internal(),
    };

    /// <summary>True when the failure is the handler giving up because the call was cancelled or ran out of time.</summary>
    public static bool IsCancellation(Exception exception, ServerCallContext context) =>
        context.CancellationToken.IsCancellationRequested
        && exception is OperationCanceledException or IOException or RpcException { StatusCode: StatusCode.Cancelled or StatusCode.DeadlineExceeded };

    /// <summary>A client's deadline timer fires before ours by the request's transit time, and its reset looks like a cancel.</summary>
    public static readonly TimeSpan DeadlineTolerance = TimeSpan.FromMilliseconds(250);

    private static RpcException Cancelled(ServerCallContext context, DateTime utcNow) =>
        context.Status.StatusCode == StatusCode.DeadlineExceeded || context.Deadline - utcNow <= DeadlineTolerance
            ? new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."))
            : new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled by the client."));
}
