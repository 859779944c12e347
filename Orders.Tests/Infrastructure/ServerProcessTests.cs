using System.Diagnostics;
using System.Net;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// What a test or benchmark run notices of the harness's processes: one that ignores its stop signal is killed within
/// the grace, not waited on; one that stops on it keeps its own exit; one that dies before it is ready is reported with
/// its output at once; a command that overruns its bound is killed and reported with what it printed.
/// </summary>
[Requires(Need.Process)]
public sealed class ServerProcessTests
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AProcessThatIgnoresItsStopSignalIsKilledAfterTheGrace()
    {
        // An ignored signal stays ignored across exec, so sleep itself ignores TERM.
        await using var server = ServerProcess.Start(Shell("trap '' TERM; echo ready; exec sleep 60"));
        await server.WaitForLineAsync(line => line == "ready", "it printed ready", Ready);

        var clock = Stopwatch.StartNew();
        await server.StopAsync("TERM", TimeSpan.FromSeconds(1));

        Assert.True(server.HasExited);
        Assert.Equal(128 + 9, server.ExitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AProcessThatStopsOnItsSignalKeepsItsOwnExit()
    {
        await using var server = ServerProcess.Start(Shell("trap 'exit 7' TERM; echo ready; while :; do sleep 0.1; done"));
        await server.WaitForLineAsync(line => line == "ready", "it printed ready", Ready);

        await server.StopAsync("TERM", TimeSpan.FromSeconds(20));

        Assert.Equal(7, server.ExitCode);
    }

    [Fact]
    public async Task AProcessThatExitsBeforeItIsReadyIsReportedWithItsOutput()
    {
        await using var server = ServerProcess.Start(Shell("echo 'Orders:Port: 0 is not a port' >&2; exit 3"));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.WaitUntilAnswersAsync(
            new Uri($"http://127.0.0.1:{FreePort.Next()}/health"), HttpVersion.Version20, TimeSpan.FromSeconds(60)));

        Assert.Contains("sh exited with 3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Orders:Port: 0 is not a port", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"reported after {clock.Elapsed}");
    }

    [Fact]
    public async Task ACommandThatOverrunsItsBoundIsKilledAndReportedWithItsOutput()
    {
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            ExternalCommand.RunAsync("sh", ["-c", "echo started; exec sleep 60"], TimeSpan.FromSeconds(1)));

        Assert.Contains("started", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"reported after {clock.Elapsed}");
    }

    private static ProcessStartInfo Shell(string script) => Launch.Program("sh", ["-c", script]);
}
