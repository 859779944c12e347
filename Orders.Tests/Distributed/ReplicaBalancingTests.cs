using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orders.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orders.Tests.Distributed;

/// <summary>The built-in client's scenario, run by the AppHost against two orders-api replicas, read from the real Aspire dashboard.</summary>
[Collection(TwoReplicaAppRun.Name)]
[Requires(Need.AppHost)]
public sealed class ReplicaBalancingTests(TwoReplicaApp fixture, ITestOutputHelper output)
{
    /// <summary>Some twenty runs of the scenario (20 to 40 s at one run a second, as the fixture loops it).</summary>
    private const int ScenarioCalls = 200;

    /// <summary>Enough for a share below a third to be no accident of round robin's start.</summary>
    private const int ScenarioCallsAfterARestart = 100;

    private AspireApp Aspire => fixture.Aspire;

    [Fact]
    public async Task EveryReplicaServesAtLeastAThirdOfTheClientsScenarioCalls()
    {
        var since = DateTime.UtcNow;
        var replicas = await Aspire.ReplicaNamesAsync("orders-api", TwoReplicaApp.Replicas);

        await AssertEveryReplicaServesAThirdAsync(replicas, since, ScenarioCalls);
    }

    [Fact]
    public async Task AReplicaRestartedFromTheDashboardGetsItsShareAgain()
    {
        var replicas = await Aspire.ReplicaNamesAsync("orders-api", TwoReplicaApp.Replicas);
        var restarted = replicas.Order().First();
        var portBefore = Aspire.ReplicaPort(restarted);
        var restartedAt = DateTime.UtcNow;

        var restart = await Aspire.App.ResourceCommands.ExecuteCommandAsync(restarted, KnownResourceCommands.RestartCommand);
        Assert.True(restart.Success, restart.Message);
        using var timeout = new CancellationTokenSource(AspireApp.StartTimeout);
        await foreach (var update in Aspire.App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            // A replica is waited for by its own id here: Aspire's waits by name match the resource, not one replica.
            if (update.ResourceId == restarted && update.Snapshot.StartTimeStamp > restartedAt && update.Snapshot.HealthStatus == HealthStatus.Healthy)
            {
                break;
            }
        }

        // The client was given this address when it started; DCP gives a restarted replica its port again.
        Assert.Equal(portBefore, Aspire.ReplicaPort(restarted));
        // Its first call again comes once the client's connection to it is back (the client's reconnect backoff is short).
        var back = await Eventually.HoldsAsync(
            async () => ScenarioCallsServed(await Aspire.Telemetry.RecentSpansAsync(5000), restartedAt).FirstOrDefault(call => call.Replica == restarted),
            call => call is not null,
            $"a scenario call served by {restarted} after its restart",
            timeoutSeconds: 30);
        await AssertEveryReplicaServesAThirdAsync(replicas, back!.StartTime, ScenarioCallsAfterARestart);
    }

    private async Task AssertEveryReplicaServesAThirdAsync(IReadOnlySet<string> replicas, DateTime since, int calls)
    {
        var servedBy = await Eventually.HoldsAsync(
            async () => ScenarioCallsServed(await Aspire.Telemetry.RecentSpansAsync(5000), since).ConvertAll(call => call.Replica),
            served => served.Count >= calls,
            $"{calls} scenario calls of orders-client served by orders-api",
            timeoutSeconds: 150);

        // The dashboard names a replica's telemetry "<service.name>-<service.instance.id>": the very name of its resource.
        Assert.Equal(replicas.Order(), servedBy.Distinct().Order());
        foreach (var replica in replicas)
        {
            var share = servedBy.Count(r => r == replica);
            output.WriteLine($"{replica} served {share} of {servedBy.Count} scenario calls");
            Assert.True(share * 3 >= servedBy.Count, $"{replica} served {share} of {servedBy.Count} calls: {string.Join(", ", servedBy.CountBy(r => r))}");
        }
    }

    /// <summary>Each orders-api server span under a scenario step of orders-client since <paramref name="since"/>, oldest first, with the replica it names.</summary>
    private static List<ServedCall> ScenarioCallsServed(IReadOnlyList<DashboardSpan> spans, DateTime since)
    {
        var scenarioTraces = spans.Where(s => s.Service == "orders-client" && s["scenario.step"] is not null).Select(s => s.TraceId).ToHashSet();
        return [.. spans
            .Where(s => s.Service == "orders-api" && s.Kind == DashboardSpan.ServerKind && s.StartTime >= since && scenarioTraces.Contains(s.TraceId))
            .OrderBy(s => s.StartTime)
            .Select(s => new ServedCall($"{s.Service}-{s.InstanceId}", s.StartTime))];
    }

    private sealed record ServedCall(string Replica, DateTime StartTime);
}
