using Orders.Client.Commands;
using Orders.Tests.Api;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Client;

/// <summary>The exit status of one <c>scenario</c> run (no --loop), the command line in process against Orders.Api on real Kestrel.</summary>
[Collection(ProcessWideTelemetryDefinition.Name)]
public sealed class ScenarioExitStatusTests
{
    /// <summary>README's exit status for a scenario step that did not get its expected outcome.</summary>
    private const int StepFailedExitStatus = 1;

    [Fact]
    public async Task ARunWithAFailedStep_ExitsWithTheStepFailedStatus()
    {
        // Without fault injection the server ignores the delay header, so the deadline step gets OK instead of DEADLINE_EXCEEDED.
        var port = FreePort.Next();
        await using var api = new OrdersApiFactory(new Dictionary<string, string?> { ["Orders:FaultInjection:Enabled"] = "false" });
        api.UseKestrel(port);
        api.StartServer();

        var run = await InProcessOrdersClient.RunCommandLineAsync("scenario", "--address", $"http://127.0.0.1:{port}");
        Assert.True(run.ExitCode == StepFailedExitStatus, run.ToString());
        var failed = Assert.Single(run.StdoutLines, line => line.Contains("] FAIL ", StringComparison.Ordinal));
        Assert.Matches(
            @"^\[ 9\] FAIL  get 102, delayed past its deadline: expected DEADLINE_EXCEEDED, got OK in \d+\.\d ms  \(answered despite the delay \(is Orders:FaultInjection:Enabled on\?\)\)$",
            failed);
        Assert.Matches(@"^9/10 steps passed in \d+ ms$", run.StdoutLines[^1]);
    }
}
