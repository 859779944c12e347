using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>
/// The consoles the Aspire dashboard's console view shows (what DCP captured of each resource's stdout and stderr):
/// a scenario run reads in order with no Information line flagged stderr, and a call is one line on each side.
/// </summary>
[Collection(TwoReplicaAppRun.Name)]
[Requires(Need.AppHost)]
public sealed partial class ConsoleViewTests(TwoReplicaApp fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task AScenarioRunReadsInOrder_InformationIsNotOnStderr_AndACallIsOneLineOnEachSide()
    {
        var app = fixture.Aspire.App;
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var consoles = app.Services.GetRequiredService<ResourceLoggerService>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        // One whole run: the lines after one summary line up to the next.
        var client = await CollectUntilAsync(
            consoles.WatchAsync(model.Resources.Single(r => r.Name == "orders-client")), lines => lines.Count(IsSummary) >= 2, timeout.Token);
        var summaries = client.Select((line, index) => (line, index)).Where(x => IsSummary(x.line)).Select(x => x.index).ToList();
        var run = client[(summaries[0] + 1)..(summaries[1] + 1)];
        var text = string.Join("\n", run.Select(line => $"{(line.IsErrorMessage ? "stderr" : "stdout")} {line.Content}"));

        // A successful call's line is Information (the console logger's level label may be coloured, so not matched on).
        Assert.DoesNotContain(run, line => line.IsErrorMessage && line.Content.Contains(" ended OK in ", StringComparison.Ordinal));
        var callsBeforeStep = 0;
        var steps = 0;
        foreach (var line in run.Where(line => !line.IsErrorMessage))
        {
            if (OkCallLine().IsMatch(line.Content))
            {
                callsBeforeStep++;
            }
            else if (StepLine().Match(line.Content) is { Success: true } step)
            {
                steps++;
                Assert.True(step.Groups["expected"].Value != "OK" || callsBeforeStep > 0, $"No call line before \"{line.Content}\":\n{text}");
                callsBeforeStep = 0;
            }
        }

        Assert.Equal(10, steps);
        var requestIds = run.Select(line => CallRequestId().Match(line.Content)).Where(match => match.Success).Select(match => match.Groups["id"].Value).ToList();
        Assert.NotEmpty(requestIds);
        Assert.Equal(requestIds.Count, requestIds.Distinct().Count());

        // The same calls on the server side (two replicas, one console each): one line each.
        var api = await CollectUntilAsync(
            consoles.WatchAsync(model.Resources.Single(r => r.Name == "orders-api")),
            lines => requestIds.All(id => lines.Any(line => line.Content.Contains($"request id {id}", StringComparison.Ordinal))),
            timeout.Token);
        Assert.All(requestIds, id => Assert.Single(api, line => line.Content.Contains(id, StringComparison.Ordinal)));
        output.WriteLine($"one scenario run: {run.Count(line => !line.IsErrorMessage)} stdout and {run.Count(line => line.IsErrorMessage)} stderr lines for {requestIds.Count} calls");
    }

    private static bool IsSummary(LogLine line) => line.Content.Contains(" steps passed in ", StringComparison.Ordinal);

    private static async Task<List<LogLine>> CollectUntilAsync(IAsyncEnumerable<IReadOnlyList<LogLine>> source, Func<List<LogLine>, bool> done, CancellationToken cancellationToken)
    {
        var lines = new List<LogLine>();
        // A resource with replicas is watched as one stream per replica, each its backlog then its live lines, and a
        // line written while the watch starts can come twice; each line carries DCP's 100 ns timestamp, so a repeat is that.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var batch in source.WithCancellation(cancellationToken))
        {
            lines.AddRange(batch.Where(line => seen.Add(line.Content)));
            if (done(lines))
            {
                break;
            }
        }

        return lines;
    }

    [GeneratedRegex(@"info: ecommerce\.OrderManagement/\w+ \(\w+\) ended OK in ")]
    private static partial Regex OkCallLine();

    [GeneratedRegex(@"\[ ?\d+\] (PASS|FAIL)  .*: expected (?<expected>\w+), got ")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"(info|warn): ecommerce\.OrderManagement/\w+ \(\w+\) ended \w+ in .*, request (?<id>\w+), metadata \[")]
    private static partial Regex CallRequestId();
}
