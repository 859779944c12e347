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
        var timeout = context.GetHttpContext().Request.Headers[TimeoutHeader];
        return IsZero(timeout) || context.Deadline <= utcNow
            ? new Status(StatusCode.DeadlineExceeded, $"The call's deadline had passed when it arrived (grpc-timeout {timeout}).")
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
