using System.Globalization;
using System.Text.Json;
using Orders.Tests.GrpcInsights;

namespace Orders.Tests.Distributed;

/// <summary>What the scenario loop under the AppHost leaves in the dashboard, read through its JSON API.</summary>
[Collection(AppHostRun.Name)]
public sealed class AppHostTelemetryTests(AppHostFixture fixture)
{
    public static TheoryData<string, string> ScenarioSteps => new()
    {
        { "getOrder", "OK" },
        { "addOrder", "OK" },
        { "searchOrders", "OK" },
        { "updateOrders", "OK" },
        { "processOrders", "CANCELLED" },
        { "deleteOrder", "OK" },
        { "getOrder", "NOT_FOUND" },
        { "getOrder", "DEADLINE_EXCEEDED" },
        { "addOrder", "INVALID_ARGUMENT" },
    };

    [Theory]
    [MemberData(nameof(ScenarioSteps))]
    public async Task EveryScenarioStepIsATraceWithClientAndServerSpansOfItsStatus(string method, string status)
    {
        var trace = await fixture.StepTraceAsync(status, method);

        var (client, server) = CallSpans(trace, method);
        Assert.Equal(status, client.Str("grpcStatus"));
        Assert.Equal(status, server.Str("grpcStatus"));
        Assert.Equal("orders-client", client.Str("service"));
        Assert.Equal("orders-api", server.Str("service"));
        Assert.True(server.GetProperty("depth").GetInt32() > client.GetProperty("depth").GetInt32(), "the server span sits under the client span");
    }

    [Fact]
    public async Task DeadlineExceededShowsOnBothSidesAndTheServerHandlerWasCancelled()
    {
        var trace = await fixture.StepTraceAsync("DEADLINE_EXCEEDED", "getOrder");

        var (client, server) = CallSpans(trace, "getOrder");
        Assert.Equal("Error", client.Str("status"));
        Assert.Equal("Error", server.Str("status"));
        Assert.Equal("true", server.GetProperty("attributes").Str("rpc.grpc.handler_cancelled"));
        Assert.True(double.Parse(server.GetProperty("attributes").Str("rpc.grpc.deadline_ms"), CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task CancelledProcessOrdersCarriesMessageCounts()
    {
        var trace = await fixture.StepTraceAsync("CANCELLED", "processOrders");

        var (_, server) = CallSpans(trace, "processOrders");
        var attributes = server.GetProperty("attributes");
        Assert.Equal("duplex_streaming", attributes.Str("rpc.grpc.call_type"));
        Assert.True(int.Parse(attributes.Str("rpc.grpc.messages_received"), CultureInfo.InvariantCulture) >= 1);
        Assert.True(attributes.TryGetProperty("rpc.grpc.messages_sent", out _));
        var cancelled = server.Items("events").Single(e => e.Str("name") == "rpc.cancelled");
        Assert.True(cancelled.GetProperty("attributes").TryGetProperty("rpc.grpc.messages_received", out _));
    }

    [Fact]
    public async Task CallsReachEveryApiReplica()
    {
        var replicaIds = fixture.Api.Select(r => r.Id).ToHashSet();

        var calls = await DashboardHost.EventuallyAsync(() => fixture.Dashboard.GetJsonAsync("/api/grpc/calls?limit=2000"),
            list => replicaIds.IsSubsetOf(ServerInstances(list)), "calls served by every replica", timeoutSeconds: 30);

        Assert.Equal(replicaIds, ServerInstances(calls).ToHashSet());
    }

    private static IEnumerable<string> ServerInstances(JsonElement calls) =>
        calls.EnumerateArray().Select(c => c.GetProperty("serverInstance").GetString()).OfType<string>();

    /// <summary>The gRPC client span (Grpc.Net.Client instrumentation) and the Orders.Api interceptor's server span of one call.</summary>
    private static (JsonElement Client, JsonElement Server) CallSpans(JsonElement trace, string method)
    {
        var spans = trace.Items("spans").Where(s => s.Str("name").EndsWith($"/{method}", StringComparison.Ordinal)).ToList();
        return (spans.Single(s => s.Str("kind") == "Client"), spans.Single(s => s.Str("kind") == "Server" && s.Str("scope") == "Orders.Api"));
    }
}
