namespace Orders.Client.Interceptors;

/// <summary>
/// Hands the deadline budget the interceptor gave a call to that call's client span. Grpc.Net.Client starts the span
/// inside the interceptor's continuation, so a value flowing with the continuation's execution context reaches the HTTP
/// handler that tags the span; the grpc-timeout header would carry it rounded up to three significant figures.
/// </summary>
internal static class ClientCallBudget
{
    private static readonly AsyncLocal<double?> Flowing = new();

    /// <summary>The budget in milliseconds of the call being started on this flow; null outside a call's start.</summary>
    public static double? Milliseconds => Flowing.Value;

    /// <summary>Starts a call with its budget flowing to everything the start sets off; the caller's flow is left as it was.</summary>
    public static T Starting<T>(TimeSpan budget, Func<T> start)
    {
        var outer = Flowing.Value;
        Flowing.Value = budget.TotalMilliseconds;
        try
        {
            return start();
        }
        finally
        {
            Flowing.Value = outer;
        }
    }
}
