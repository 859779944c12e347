using System.Diagnostics;

namespace Orders.Api.Benchmarks;

/// <summary>
/// Calls per second and latency percentiles of one kind of call, from a fixed number of concurrent callers; the warm-up
/// calls are counted too, because the telemetry they produce arrives with the measured calls'.
/// </summary>
internal sealed record LoadResult(long WarmUpCalls, long Calls, long Failures, double CallsPerSecond, double P50Ms, double P95Ms, double P99Ms);

/// <summary>Closed-loop load: each caller starts its next call when the previous one ends, for a fixed time.</summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(Func<Task> call, int callers, TimeSpan warmUp, TimeSpan measured)
    {
        var warmUpCallers = await RunForAsync(call, callers, warmUp);
        var clock = Stopwatch.StartNew();
        var perCaller = await RunForAsync(call, callers, measured);
        var elapsed = clock.Elapsed;

        var latencies = perCaller.SelectMany(c => c.Latencies).Order().ToArray();
        double Percentile(double p) => latencies.Length == 0 ? double.NaN
            : Stopwatch.GetElapsedTime(0, latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)]).TotalMilliseconds;
        return new LoadResult(warmUpCallers.Sum(c => c.Latencies.Count), latencies.Length, perCaller.Sum(c => c.Failures), latencies.Length / elapsed.TotalSeconds,
            Percentile(0.50), Percentile(0.95), Percentile(0.99));
    }

    private static Task<Caller[]> RunForAsync(Func<Task> call, int callers, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var caller = new Caller();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await call();
                    caller.Latencies.Add(Stopwatch.GetTimestamp() - start);
                }
                catch (Grpc.Core.RpcException)
                {
                    caller.Failures++;
                }
            }

            return caller;
        })));
    }

    private sealed class Caller
    {
        public List<long> Latencies { get; } = [];

        public long Failures { get; set; }
    }
}
