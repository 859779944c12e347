using System.Diagnostics;

namespace Orders.Api.Benchmarks;

/// <summary>Calls per second and latency percentiles of one kind of call, from a fixed number of concurrent callers.</summary>
public sealed record LoadResult(long Calls, long Failures, double CallsPerSecond, double P50Ms, double P99Ms);

/// <summary>
/// Closed-loop load: each caller starts its next call when the previous one ends, for a fixed time, and makes at least one
/// call: on a loaded machine a caller's task can first run after its window has ended, and a window of no calls reads as 0 calls/s.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(Func<Task> call, int callers, TimeSpan warmUp, TimeSpan measured)
    {
        await RunForAsync(call, callers, warmUp);
        var clock = Stopwatch.StartNew();
        var perCaller = await RunForAsync(call, callers, measured);
        var elapsed = clock.Elapsed;

        var latencies = perCaller.SelectMany(c => c.Latencies).Select(ticks => Stopwatch.GetElapsedTime(0, ticks).TotalMilliseconds).Order().ToArray();
        return new LoadResult(latencies.Length, perCaller.Sum(c => c.Failures), latencies.Length / elapsed.TotalSeconds,
            Statistics.Percentile(latencies, 0.50), Statistics.Percentile(latencies, 0.99));
    }

    private static Task<Caller[]> RunForAsync(Func<Task> call, int callers, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var caller = new Caller();
            do
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
            while (Stopwatch.GetTimestamp() < stopAt);

            return caller;
        })));
    }

    private sealed class Caller
    {
        public List<long> Latencies { get; } = [];

        public long Failures { get; set; }
    }
}
