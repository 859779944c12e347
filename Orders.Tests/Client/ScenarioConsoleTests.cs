using System.Text.RegularExpressions;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Client;

/// <summary>
/// What <c>scenario</c> prints for a person (as in the AppHost's console view): each step's call lines, then its result
/// line; one line per call; Information on stdout, warnings on stderr.
/// </summary>
[Requires(Need.Process)]
public sealed partial class ScenarioConsoleTests(OrdersApiProcessFixture fixture) : IClassFixture<OrdersApiProcessFixture>
{
    [Fact]
    public async Task EachStepsCallLinesComeBeforeItsResultLine_OneLinePerCall_InformationOnStdout()
    {
        // What the AppHost sets on every project (Aspire's ConfigureConsoleLogs): upper case, it used to void the
        // client's "Console" level filter, so Information lines reached the console, on stderr.
        var run = await ClientProcess.RunAsync(
            ["scenario", "--address", fixture.Api.Address.ToString()], environment: new Dictionary<string, string> { ["LOGGING__CONSOLE__FORMATTERNAME"] = "simple" });

        Assert.True(run.ExitCode == 0, run.ToString());
        var stderrLines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var callsBeforeStep = new List<string>();
        var steps = 0;
        foreach (var line in run.StdoutLines)
        {
            if (OkCallLine().Match(line) is { Success: true } call)
            {
                callsBeforeStep.Add(call.Groups["id"].Value);
            }
            else if (StepLine().Match(line) is { Success: true } step)
            {
                steps++;
                // A step expecting OK made at least one OK call; its line must already be out, not queued behind the result.
                Assert.True(step.Groups["expected"].Value != "OK" || callsBeforeStep.Count > 0, $"No call line before \"{line}\":\n{run}");
                callsBeforeStep.Clear();
            }
        }

        Assert.Equal(10, steps);
        Assert.Empty(callsBeforeStep);
        Assert.DoesNotContain(run.StdoutLines, line => line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal));
        Assert.DoesNotContain(stderrLines, line => line.StartsWith("info:", StringComparison.Ordinal));
        // Every log line is a call's outcome line, and no call has two.
        var logLines = run.StdoutLines.Concat(stderrLines).Where(line => LogLinePrefix().IsMatch(line)).ToList();
        var requestIds = logLines.Select(line => CallRequestId().Match(line)).ToList();
        Assert.All(requestIds, id => Assert.True(id.Success, run.ToString()));
        Assert.Equal(requestIds.Count, requestIds.Select(id => id.Groups["id"].Value).Distinct().Count());
        Assert.Contains(stderrLines, line => line.StartsWith("warn: ecommerce.OrderManagement/getOrder (unary) ended NOT_FOUND in ", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^info: ecommerce\.OrderManagement/\w+ \(\w+\) ended OK in [0-9.]+ ms; deadline \d+ ms, sent \d+, received \d+, request (?<id>\w+), metadata \[[^\]]*\]$")]
    private static partial Regex OkCallLine();

    [GeneratedRegex(@"^\[ ?\d+\] (PASS|FAIL)  .*: expected (?<expected>\w+), got ")]
    private static partial Regex StepLine();

    [GeneratedRegex("^(trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex LogLinePrefix();

    [GeneratedRegex(@"^(info|warn): ecommerce\.OrderManagement/\w+ \(\w+\) ended \w+ in [0-9.]+ ms[;:].*, request (?<id>\w+), metadata \[")]
    private static partial Regex CallRequestId();
}
