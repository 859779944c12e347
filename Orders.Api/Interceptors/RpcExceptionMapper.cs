using Grpc.Core;
using Orders.Api.Services;
using Orders.Api.Storage;

namespace Orders.Api.Interceptors;

/// <summary>The one place where handler exceptions become gRPC statuses; nothing but the status reaches the client.</summary>
public static class RpcExceptionMapper
{
    /// <param name="streamBroken">The call's request or response stream failed (see <see cref="ServerCallTracker.StreamBroken"/>).</param>
    public static RpcException ToRpcException(Exception exception, ServerCallContext context, bool streamBroken, DateTime utcNow) => exception switch
    {
        RpcException rpc => rpc,
        OrderStoreUnavailableException unavailable => RpcErrors.StoreUnavailable(unavailable.CallerReason),
        _ when IsCancellation(exception, context, streamBroken) => Cancelled(context, utcNow),
        _ => RpcErrors.Internal(),
    };

    /// <summary>
    /// True when the failure is the handler giving up because the call was cancelled, ran out of time, or lost its
    /// peer: whatever the handler threw once that happened is a consequence of it, not a fault of its own.
    /// </summary>
    public static bool IsCancellation(Exception exception, ServerCallContext context, bool streamBroken) =>
        (streamBroken || context.CancellationToken.IsCancellationRequested)
        && exception is not (OrderStoreUnavailableException or RpcException { StatusCode: not (StatusCode.Cancelled or StatusCode.DeadlineExceeded) });

    /// <summary>
    /// True for a failure the handler did not anticipate (a bug): its call is logged at Error with the exception. A store
    /// outage is expected: its calls end as Warnings, and OrderStoreAvailability logs the outage itself once.
    /// </summary>
    public static bool IsUnexpected(Exception exception) => exception is not (RpcException or OrderStoreUnavailableException);

    /// <summary>A client's deadline timer fires before ours by the request's transit time, and its reset looks like a cancel.</summary>
    public static readonly TimeSpan DeadlineTolerance = TimeSpan.FromMilliseconds(250);

    private static RpcException Cancelled(ServerCallContext context, DateTime utcNow) =>
        context.Status.StatusCode == StatusCode.DeadlineExceeded || context.Deadline - utcNow <= DeadlineTolerance
            ? new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."))
            : new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled by the client."));
}
