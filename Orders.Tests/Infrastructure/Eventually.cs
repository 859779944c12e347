namespace Orders.Tests.Infrastructure;

/// <summary>Waits for what arrives asynchronously (exported telemetry, a process's state), always within a bound.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds; fails naming <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not seen within {timeoutSeconds} s: {what}.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Polls <paramref name="done"/> every <paramref name="pollInterval"/>; false once <paramref name="timeout"/> has passed, for the caller to assert with its own message.</summary>
    public static async Task<bool> WithinAsync(Func<bool> done, TimeSpan timeout, TimeSpan pollInterval)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(pollInterval);
        }

        return true;
    }
}
