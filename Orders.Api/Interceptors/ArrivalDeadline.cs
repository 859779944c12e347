using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Primitives;

namespace Orders.Api.Interceptors;

/// <summary>
/// A call whose deadline was over before it arrived. grpc-dotnet reads a <c>grpc-timeout</c> that rounds to zero ticks
/// of 100 ns (<c>0n</c>, <c>0S</c>, <c>1n</c> to <c>99n</c>) as no deadline at all, which would give an expired call
/// unlimited time; a timeout of a few ticks is over before the first interceptor runs.
/// </summary>
public static class ArrivalDeadline
{
    private const string TimeoutHeader = "grpc-timeout";

    /// <summary>DEADLINE_EXCEEDED when the call's deadline had passed on arrival, else null.</summary>
    public static Status? Exceeded(ServerCallContext context, DateTime utcNow)
    {
        // A zero timeout leaves grpc-dotnet's deadline unset: only then is the header worth reading on the call's path.
        var expired = context.Deadline == DateTime.MaxValue ? IsZero(context.GetHttpContext()) : context.Deadline <= utcNow;
        return expired
            ? new Status(StatusCode.DeadlineExceeded, $"The call's deadline had passed when it arrived (grpc-timeout {context.GetHttpContext().Request.Headers[TimeoutHeader]}).")
            : null;
    }

    /// <summary>True for a timeout, in grpc-dotnet's reading of the header, of less than one tick.</summary>
    public static bool IsZero(HttpContext httpContext) => IsZero(httpContext.Request.Headers[TimeoutHeader]);

    private static bool IsZero(StringValues timeout) =>
        timeout is [{ Length: >= 2 } value]
        && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
        && value[^1] is 'H' or 'M' or 'S' or 'm' or 'u' or 'n'
        && (amount == 0 || (value[^1] == 'n' && amount < TimeSpan.NanosecondsPerTick));
}
