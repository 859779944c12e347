using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>The built-in client's scenario, run by the AppHost against two orders-api replicas, read from the real Aspire dashboard.</summary>
[Collection(TwoReplicaAppRun.Name)]
public sealed class ReplicaBalancingTests(TwoReplicaApp fixture)
{
    /// <summary>About a minute of the scenario at one run a second.</summary>
    private const int ScenarioCalls = 200;

    [Fact]
    public async Task EveryReplicaServesAtLeastAThirdOfTheClientsScenarioCalls()
    {
        var since = DateTime.UtcNow;
        var replicas = await fixture.Aspire.ReplicaNamesAsync("orders-api", TwoReplicaApp.Replicas);

        var servedBy = await Eventually.HoldsAsync(
            async () => ScenarioCallsServed(await fixture.Aspire.Telemetry.RecentSpansAsync(5000), since),
            served => served.Count >= ScenarioCalls,
            $"{ScenarioCalls} scenario calls of orders-client served by orders-api",
            timeoutSeconds: 150);

        // The dashboard names a replica's telemetry "<service.name>-<service.instance.id>": the very name of its resource.
        Assert.Equal(replicas.Order(), servedBy.Distinct().Order());
        foreach (var replica in replicas)
        {
            var share = servedBy.Count(r => r == replica);
            Assert.True(share * 3 >= servedBy.Count, $"{replica} served {share} of {servedBy.Count} calls: {string.Join(", ", servedBy.CountBy(r => r))}");
        }
    }

    /// <summary>For each orders-api server span under a scenario step of orders-client since <paramref name="since"/>, the replica it names.</summary>
    private static List<string> ScenarioCallsServed(IReadOnlyList<DashboardSpan> spans, DateTime since)
    {
        var scenarioTraces = spans.Where(s => s.Service == "orders-client" && s["scenario.step"] is not null).Select(s => s.TraceId).ToHashSet();
        return [.. spans
            .Where(s => s.Service == "orders-api" && s.Kind == DashboardSpan.ServerKind && s.StartTime >= since && scenarioTraces.Contains(s.TraceId))
            .Select(s => $"{s.Service}-{s.InstanceId}")];
    }
}
