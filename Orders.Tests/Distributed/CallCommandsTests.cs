using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Orders.Tests.GrpcInsights;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>orders-client's call commands run through Aspire's resource command API, as the dashboard's menu runs them.</summary>
[Collection(TwoReplicaAppRun.Name)]
[Requires(Need.AppHost)]
public sealed class CallCommandsTests(TwoReplicaApp fixture)
{
    private AspireApp Aspire => fixture.Aspire;

    [Theory]
    [InlineData("get-order-1ms-deadline", "getOrder", "DEADLINE_EXCEEDED")]
    [InlineData("cancel-process-orders", "processOrders", "CANCELLED")]
    [InlineData("get-missing-order", "getOrder", "NOT_FOUND")]
    public async Task ACallCommandEndsWithItsStatusAndItsTraceIsInTheDashboardAndTheInsights(string command, string method, string status)
    {
        var result = await Aspire.ExecuteCommandWhenEnabledAsync("orders-client", command);

        Assert.True(result.Success, result.Message);
        // The client's one-line outcome, e.g. "ERROR: NOT_FOUND (5): order no-such-order not found".
        Assert.StartsWith($"ERROR: {status} (", result.Message, StringComparison.Ordinal);
        Assert.Contains(result.Message!, result.Data?.Value, StringComparison.Ordinal);

        // The run's spans carry the command's name as their instance: orders-client's, told apart from the looping client's.
        var spans = await Eventually.HoldsAsync(
            () => Aspire.Telemetry.RecentSpansAsync(),
            all => all.Any(s => IsCommandsCall(s, command, status, method)),
            $"the {method} {status} client span of {command} in the Aspire dashboard");
        var traceId = spans.First(s => IsCommandsCall(s, command, status, method)).TraceId;

        using var insights = new HttpClient { BaseAddress = Aspire.App.GetEndpoint("grpc-insights", "http"), Timeout = TimeSpan.FromSeconds(30) };
        var calls = await Eventually.HoldsAsync(
            () => insights.GetJsonAsync("/api/grpc/calls"),
            json => json.EnumerateArray().Any(c => c.Str("traceId") == traceId),
            $"the {command} call in the gRPC insights");
        var call = calls.EnumerateArray().First(c => c.Str("traceId") == traceId);
        Assert.Equal(status, call.Str("status"));
        Assert.EndsWith($"/{method}", call.Str("method"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheScenarioCommandRunsOnePassWithTheLoopStoppedAndItsStepsAreTraced()
    {
        const string command = "run-scenario-once";
        var result = await Aspire.ExecuteCommandWhenEnabledAsync("orders-client", command);

        Assert.True(result.Success, result.Message);
        Assert.Matches(@"^(\d+)/\1 steps passed in \d+ ms$", result.Message);
        // The command stopped the loop for its pass, and started it again.
        Assert.Equal(KnownResourceStates.Running, await Aspire.WaitForStateAsync("orders-client", KnownResourceStates.Running));
        await Eventually.HoldsAsync(
            () => Aspire.Telemetry.RecentSpansAsync(),
            all => all.Any(s => s.Service == "orders-client" && s.InstanceId == command && s["scenario.step"] is not null)
                && all.Any(s => IsCommandsCall(s, command, "NOT_FOUND", "getOrder")),
            $"the scenario steps of {command} and their calls in the Aspire dashboard");
    }

    [Fact]
    public async Task TheInsightsResourceLinksItsCallsAndAdvisorPagesByName()
    {
        using var timeout = new CancellationTokenSource(AspireApp.StartTimeout);
        var insights = await Aspire.App.ResourceNotifications.WaitForResourceAsync(
            "grpc-insights", e => e.Snapshot.Urls.Count(u => !u.IsInactive) >= 3, timeout.Token);

        var root = Aspire.App.GetEndpoint("grpc-insights", "http");
        var named = insights.Snapshot.Urls.Where(u => u.DisplayProperties.DisplayName is "Calls" or "Deadline advisor")
            .Select(u => (u.DisplayProperties.DisplayName, new Uri(u.Url)));
        Assert.Equal([("Calls", new Uri(root, "/grpc")), ("Deadline advisor", new Uri(root, "/advisor"))], named);
    }

    private static bool IsCommandsCall(DashboardSpan span, string command, string status, string method) =>
        span.InstanceId == command && DashboardTracesTests.IsCall(span, DashboardSpan.ClientKind, "orders-client", status, method);
}
