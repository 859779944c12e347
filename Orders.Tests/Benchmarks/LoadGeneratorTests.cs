using Orders.Api.Benchmarks;

namespace Orders.Tests.Benchmarks;

/// <summary>The harness's closed-loop load generator (addOrder's measure).</summary>
public sealed class LoadGeneratorTests
{
    [Fact]
    public async Task AWindowThatEndsBeforeTheCallersStartStillMeasuresACallPerCaller()
    {
        var calls = 0;

        // A window already over when the callers' tasks first run: what a loaded machine does to a short window.
        var load = await LoadGenerator.RunAsync(() =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        }, callers: 4, warmUp: TimeSpan.Zero, measured: TimeSpan.Zero);

        Assert.Equal(4, load.Calls);
        Assert.Equal(0, load.Failures);
        Assert.True(load.CallsPerSecond > 0, $"{load.CallsPerSecond} calls/s");
        // Four in the warm-up window, four measured.
        Assert.Equal(8, calls);
    }

    [Fact]
    public async Task ACallerKeepsCallingUntilItsWindowEnds()
    {
        var load = await LoadGenerator.RunAsync(() => Task.Delay(5), callers: 2, warmUp: TimeSpan.Zero, measured: TimeSpan.FromSeconds(1));

        // About 200 calls a caller at 5 ms each; more than two, even while the other in-process tests hold the thread
        // pool (a 200 ms window once measured only a few calls that way).
        Assert.True(load.Calls > 2 * 2, $"{load.Calls} calls");
        Assert.True(load.P50Ms >= 4, $"p50 {load.P50Ms} ms");
    }
}
