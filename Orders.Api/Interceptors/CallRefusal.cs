using Grpc.Core;

namespace Orders.Api.Interceptors;

/// <summary>
/// A call refused before its handler could run (by the authorization middleware, because its request message could
/// not be read, or because its request stream broke while grpc-dotnet read it), kept on the request until
/// <see cref="ServerCallTrackingInterceptor"/> ends the call with it, so the refusal is logged, traced and counted like
/// any other outcome. The first refusal stands: a caller without a token learns nothing about how its message would have been read.
/// </summary>
public static class CallRefusal
{
    public static void Set(HttpContext httpContext, Status status) => SetFirst(httpContext, new Refused(status, BrokenRequest: null));

    /// <summary>
    /// The request stream failed under grpc-dotnet's read of a single-message request (the client reset it, or the
    /// connection went away): the call ends as its stream breaking under a handler would, CANCELLED or DEADLINE_EXCEEDED.
    /// </summary>
    public static void SetRequestBroken(HttpContext httpContext, Exception failure) => SetFirst(httpContext, new Refused(default, failure));

    /// <summary>
    /// Ends the call with its refusal, if it has one, or when its deadline had passed on arrival (<see cref="ArrivalDeadline"/>):
    /// the handler must not see a call that was refused, nor do work for one already out of time.
    /// </summary>
    public static void ThrowIfRefused(ServerCallContext context, ServerCallTracker call)
    {
        switch (context.GetHttpContext().Features.Get<Refused>())
        {
            case { BrokenRequest: { } failure }:
                call.StreamBroken();
                throw new OperationCanceledException("The request stream broke before its message was read.", failure);
            case { } refused:
                throw new RpcException(refused.Status);
        }

        // The server's clock, as grpc-dotnet's deadline is.
        if (ArrivalDeadline.Exceeded(context, DateTime.UtcNow) is { } expired)
        {
            throw new RpcException(expired);
        }
    }

    /// <summary>True once the call was refused before its handler, by anything but an expired deadline.</summary>
    public static bool IsRefused(HttpContext httpContext) => httpContext.Features.Get<Refused>() is not null;

    private static void SetFirst(HttpContext httpContext, Refused refusal)
    {
        if (httpContext.Features.Get<Refused>() is null)
        {
            httpContext.Features.Set(refusal);
        }
    }

    private sealed record Refused(Status Status, Exception? BrokenRequest);
}
