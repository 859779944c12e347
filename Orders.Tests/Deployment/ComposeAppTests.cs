using System.Text.Json;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Orders.Tests.Distributed;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Deployment;

/// <summary>
/// deploy/compose run for real: the scenario traced in the Aspire dashboard container, both replicas serving, the
/// containers' security, healthchecks that follow the store, a replica killed mid-traffic, and data across down/up.
/// Each test leaves the app as it found it: every container running and healthy.
/// </summary>
[Collection(PodmanContainers.Name)]
[Requires(Need.Podman)]
public sealed class ComposeAppTests(ComposeApp app)
{
    private static readonly string[] DotnetServices = ["orders-api", "orders-client", "aspire-dashboard", "grpc-insights"];

    [Theory]
    [InlineData("OK", "addOrder")]
    [InlineData("DEADLINE_EXCEEDED", "getOrder")]
    [InlineData("CANCELLED", "processOrders")]
    [InlineData("NOT_FOUND", "getOrder")]
    [InlineData("INVALID_ARGUMENT", "addOrder")]
    public async Task EveryScenarioOutcomeIsATraceInTheDashboardContainer(string status, string method)
    {
        await Eventually.HoldsAsync(
            () => app.Telemetry.RecentSpansAsync(),
            spans => DashboardTracesTests.CompleteTraces(spans, status, method).Any(),
            $"a {method} {status} trace with the scenario step, the client call and the server call", timeoutSeconds: 90);
    }

    [Fact]
    public async Task BothReplicasServeTheClientsCalls()
    {
        // The client balances over every address behind the orders-api name, so server spans come from two processes.
        var spans = await Eventually.HoldsAsync(
            () => app.Telemetry.RecentSpansAsync(),
            spans => ServerInstances(spans).Count >= 2,
            "orders-api server spans from both replicas", timeoutSeconds: 90);
        Assert.Equal(2, ServerInstances(spans).Count);
    }

    [Fact]
    public async Task ServicesRunAsNonRootOnAReadOnlyRootFilesystem()
    {
        foreach (var service in DotnetServices)
        {
            var container = await Podman.InspectAsync(app.Container(service));
            Assert.Equal("1654", container.GetProperty("Config").GetProperty("User").GetString());
            var host = container.GetProperty("HostConfig");
            Assert.True(host.GetProperty("ReadonlyRootfs").GetBoolean(), $"{service}: read-only root filesystem");
            Assert.Contains("no-new-privileges", host.GetProperty("SecurityOpt").EnumerateArray().Select(o => o.GetString()));
            var id = await Podman.RunAsync("exec", app.Container(service), "id", "-u");
            Assert.Equal("1654", id.EnsureSuccess().Stdout.Trim());
            var write = await Podman.RunAsync("exec", app.Container(service), "touch", "/app/written");
            Assert.NotEqual(0, write.ExitCode);
        }

        Assert.Equal("999", (await Podman.RunAsync("exec", app.Container("postgres"), "id", "-u")).EnsureSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task AReplicasHealthcheckFailsWhileTheStoreIsDownAndRecoversAfter()
    {
        var replica = app.Container("orders-api", 2);
        Assert.True(await Podman.IsHealthyAsync(replica));
        await Podman.RunAsync("stop", "-t", "10", app.Container("postgres"));
        try
        {
            await Eventually.HoldsAsync(() => Podman.IsHealthyAsync(replica), healthy => !healthy, $"{replica} unhealthy without PostgreSQL");
        }
        finally
        {
            (await Podman.RunAsync("start", app.Container("postgres"))).EnsureSuccess();
        }

        await app.WaitUntilHealthyAsync();
    }

    [Fact]
    public async Task KillingAReplicaMidTrafficTheClientRecovers()
    {
        // A client of our own runs the scenario back to back (the app's client pauses five seconds between runs and
        // would share the sample orders with it), over the same balanced address.
        var traffic = $"{app.Project}_traffic";
        await Podman.RunAsync("stop", "-t", "5", app.Container("orders-client"));
        (await Podman.RunAsync("run", "-d", "--name", traffic, "--network", app.Network, "--read-only", "--tmpfs", "/tmp",
            "--entrypoint", "dotnet", ContainerImages.Of("orders-client"), "/app/Orders.Client.dll",
            "--address", "dns:///orders-api:8080", "scenario", "--loop", "100ms", "--json")).EnsureSuccess();
        try
        {
            await Eventually.HoldsAsync(() => RunsPassedAsync(traffic), runs => runs.Contains(true), "a passing scenario run before the kill");
            (await Podman.RunAsync("kill", "--signal", "KILL", app.Container("orders-api", 1))).EnsureSuccess();
            var runsAtKill = (await RunsPassedAsync(traffic)).Count;

            var runs = await Eventually.HoldsAsync(
                () => RunsPassedAsync(traffic), all => all.Skip(runsAtKill + 1).Count(passed => passed) >= 3,
                "three passing scenario runs after the kill", timeoutSeconds: 90);
            Assert.True((await Podman.InspectAsync(traffic)).GetProperty("State").GetProperty("Running").GetBoolean(), "the client kept running");
            Assert.True(runs.Count > runsAtKill + 3);
        }
        finally
        {
            await Podman.RunAsync("rm", "-f", "-t", "0", traffic);
            await Podman.RunAsync("start", app.Container("orders-api", 1));
            await Podman.RunAsync("start", app.Container("orders-client"));
        }

        await app.WaitUntilHealthyAsync();
    }

    [Fact]
    public async Task OrdersSurviveDownAndUp()
    {
        var order = new Order { Items = { "compose item", "second item" }, Description = "kept across down/up", Price = 12.5f, Destination = "dock 7" };
        var id = await WithClientAsync(async client => (await client.addOrderAsync(order, deadline: DateTime.UtcNow.AddSeconds(10))).Value);

        await app.ComposeAsync("down", "-t", "10");
        Assert.Equal(0, (await Podman.RunAsync("volume", "exists", $"{app.Project}_orders-data")).ExitCode);
        await app.ComposeAsync("up", "-d");
        await app.WaitUntilHealthyAsync();

        var stored = await WithClientAsync(client => client.getOrderAsync(new StringValue { Value = id }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        Assert.Equal(new Order(order) { Id = id }, stored);
    }

    private static HashSet<string> ServerInstances(IReadOnlyList<DashboardSpan> spans) =>
        [.. spans.Where(s => s.Service == "orders-api" && s.Kind == DashboardSpan.ServerKind && s["rpc.method"] is not null).Select(s => s.InstanceId)];

    private async Task<T> WithClientAsync<T>(Func<OrderManagement.OrderManagementClient, Task<T>> call)
    {
        // From the host, through the loopback port a replica is published on.
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{await Podman.HostPortAsync(app.Container("orders-api", 2), 8080)}");
        return await call(new OrderManagement.OrderManagementClient(channel));
    }

    /// <summary>Whether each scenario run the client has logged so far passed, in order (its --json summary lines).</summary>
    private static async Task<List<bool>> RunsPassedAsync(string container)
    {
        var logs = (await Podman.RunAsync("logs", container)).Stdout;
        var runs = new List<bool>();
        foreach (var line in logs.Split('\n'))
        {
            if (line.StartsWith('{') && line.Contains("\"summary\"", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(line);
                runs.Add(json.RootElement.GetProperty("summary").GetProperty("passed").GetBoolean());
            }
        }

        return runs;
    }
}
