extern alias GrpcInsights;

using System.Text.Json;
using GrpcInsights::OrdersAspire.ResourceService;
using Grpc.Core;
using Grpc.Net.Client;
using Orders.Tests.GrpcInsights;

namespace Orders.Tests.Distributed;

/// <summary>
/// What the AppHost hands its children (the Aspire env contract, read back from /proc) and what it tells the
/// dashboard about them over its resource service.
/// </summary>
[Collection(AppHostRun.Name)]
public sealed class AppHostResourceTests(AppHostFixture fixture)
{
    [Fact]
    public void EveryApiReplicaGetsTheAspireEnvironmentContract()
    {
        foreach (var replica in fixture.Api)
        {
            var environment = ProcessTable.EnvironmentOf(replica.Pid);

            Assert.Equal($"http://127.0.0.1:{fixture.Ports.OtlpGrpc}", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
            Assert.Equal("orders-api", environment["OTEL_SERVICE_NAME"]);
            Assert.Equal($"service.instance.id={replica.Id}", environment["OTEL_RESOURCE_ATTRIBUTES"]);
            Assert.Equal("1000", environment["OTEL_BLRP_SCHEDULE_DELAY"]);
            Assert.Equal("1000", environment["OTEL_BSP_SCHEDULE_DELAY"]);
            Assert.Equal("1000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
            Assert.Equal("always_on", environment["OTEL_TRACES_SAMPLER"]);
            Assert.Equal("in_memory", environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"]);
            Assert.Equal("true", environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"]);
            Assert.Equal("simple", environment["LOGGING__CONSOLE__FORMATTERNAME"]);
            Assert.Equal(replica.Endpoint!.ToString().TrimEnd('/'), environment["ASPNETCORE_URLS"]);
            Assert.Equal("http", environment["DOTNET_LAUNCH_PROFILE"]);
            Assert.Equal($"Data Source={Path.Combine(fixture.DataDirectory, "orders.db")}", environment["ConnectionStrings__orders"]);
            Assert.Equal("true", environment["Orders__SeedSampleData"]);
            Assert.Equal("true", environment["Orders__FaultInjection__Enabled"]);
        }

        Assert.Equal(fixture.Api.Count, fixture.Api.Select(r => r.Endpoint).Distinct().Count());
    }

    [Fact]
    public void TheClientDiscoversEveryApiReplicaAndListensNowhere()
    {
        var environment = fixture.ClientEnvironment;

        var discovered = Enumerable.Range(0, fixture.Api.Count).Select(i => environment[$"services__orders-api__http__{i}"]).ToHashSet();
        Assert.Equal(fixture.Api.Select(r => r.Endpoint!.ToString().TrimEnd('/')).ToHashSet(), discovered);
        Assert.False(environment.ContainsKey($"services__orders-api__http__{fixture.Api.Count}"));
        Assert.False(environment.ContainsKey("ASPNETCORE_URLS"));
        Assert.Equal("orders-client", environment["OTEL_SERVICE_NAME"]);
    }

    [Fact]
    public async Task DashboardResourcesShowLiveStatePidsEndpointsAndConsole()
    {
        var api = await DashboardHost.EventuallyAsync(() => ResourceAsync("orders-api"),
            r => r.ValueKind == JsonValueKind.Object && r.Items("consoleLog").Any(), "orders-api with its console in /api/resources");

        Assert.Equal("Running", api.Str("state"));
        Assert.Equal(fixture.Api.Select(r => r.Pid).Order(), api.Items("instances").Select(i => i.GetProperty("processId").GetInt32()).Order());
        Assert.Equal(fixture.Api.Select(r => r.Endpoint!.ToString().TrimEnd('/')).Order(), api.Items("endpoints").Select(e => e.GetString()!).Order());
        Assert.Equal(["stop", "restart"], api.Items("commands").Select(c => c.GetString()));
        Assert.Contains(api.Items("consoleLog"), line => line.GetString()!.StartsWith($"{fixture.Api[0].Id} | ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResourceServiceStreamsEveryReplicaAndRejectsUnknownNames()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Ports.ResourceServiceUrl);
        var client = new ResourceService.ResourceServiceClient(channel);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = client.WatchResources(new WatchResourcesRequest(), cancellationToken: timeout.Token);

        var seen = new Dictionary<string, ReplicaUpdate>();
        await foreach (var update in watch.ResponseStream.ReadAllAsync(timeout.Token))
        {
            seen[update.ReplicaId] = update;
            if (fixture.Api.All(r => seen.ContainsKey(r.Id)) && seen.ContainsKey(fixture.Client.Id))
            {
                break;
            }
        }

        Assert.All(fixture.Api, r => Assert.Equal(r.Pid, seen[r.Id].Pid));
        Assert.All(fixture.Api, r => Assert.Equal(ResourceState.Running, seen[r.Id].State));
        Assert.All(fixture.Api, r => Assert.NotNull(seen[r.Id].StartedAt));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ExecuteCommandAsync(new ExecuteCommandRequest { Name = "no-such-resource", Command = ResourceCommand.Restart }));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<JsonElement> ResourceAsync(string name) =>
        (await fixture.Dashboard.GetJsonAsync("/api/resources")).EnumerateArray().FirstOrDefault(r => r.Str("name") == name);
}
