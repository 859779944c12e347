using Grpc.Core;

namespace Orders.Api.Interceptors;

/// <summary>
/// A call refused before its handler could run (by the authorization middleware, or because its request message could
/// not be read), kept on the request until <see cref="ServerCallTelemetryInterceptor"/> ends the call with it, so the
/// refusal is logged, traced and counted like any other outcome. The first refusal stands: a caller without a token
/// learns nothing about how its message would have been read.
/// </summary>
public static class CallRefusal
{
    public static void Set(HttpContext httpContext, Status status)
    {
        if (httpContext.Features.Get<Refused>() is null)
        {
            httpContext.Features.Set(new Refused(status));
        }
    }

    /// <summary>
    /// Ends the call with its refusal, if it has one, or when its deadline had passed on arrival (<see cref="ArrivalDeadline"/>):
    /// the handler must not see a call that was refused, nor do work for one already out of time.
    /// </summary>
    public static void ThrowIfRefused(ServerCallContext context)
    {
        if (context.GetHttpContext().Features.Get<Refused>() is { } refused)
        {
            throw new RpcException(refused.Status);
        }

        // The server's clock, as grpc-dotnet's deadline is.
        if (ArrivalDeadline.Exceeded(context, DateTime.UtcNow) is { } expired)
        {
            throw new RpcException(expired);
        }
    }

    private sealed record Refused(Status Status);
}
