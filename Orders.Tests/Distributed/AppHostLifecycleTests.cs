extern alias GrpcInsights;

using GrpcInsights::OrdersAspire.ResourceService;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;

namespace Orders.Tests.Distributed;

/// <summary>
/// Runs the AppHost twice on one data folder: an order added in the first run is there in the second; SIGTERM ends a
/// run with exit 0 and no child left behind, and a resource watcher sees the whole stop sequence before its stream ends;
/// a start through the resource service waits, as the first start did, until what the resource waits for is Running; a restart through the resource service replaces the process; SIGKILL of
/// the AppHost takes its children down within seconds.
/// </summary>
public sealed class AppHostLifecycleTests : IDisposable
{
    private static readonly TimeSpan ChildrenGoneWithin = TimeSpan.FromSeconds(5);

    private readonly string dataDirectory = Directory.CreateTempSubdirectory("orders-apphost-").FullName;

    [Fact]
    public async Task DataSurvivesRestart_SigtermExitsZero_SigkillLeavesNoChildren()
    {
        string orderId;
        var firstPorts = AppHostPorts.Free();
        await using (var first = AppHostProcess.Start(dataDirectory, firstPorts, "--no-dashboard", "--loop-interval", "1s"))
        {
            var api = (await first.WaitForStateAsync("orders-api", "Running")).Single();
            await first.WaitForStateAsync("orders-client", "Running");
            orderId = (await api.CallAsync(c => c.addOrderAsync(new Order { Items = { "Durable item" }, Price = 42, Description = "survives restarts" }))).Value;

            // Watching as the dashboard does: the stop sequence must reach the watcher, then the stream ends with OK.
            using var resourceChannel = GrpcChannel.ForAddress(firstPorts.ResourceServiceUrl);
            using var watch = new ResourceService.ResourceServiceClient(resourceChannel).WatchResources(new WatchResourcesRequest());
            Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));

            // Stopped mid-run the scenario reports 130 (interrupted); after a completed run a graceful stop is 0.
            await first.WaitForOutputAsync("steps passed");
            first.Terminate();
            var seenWhileStopping = new List<ReplicaUpdate>();
            while (await watch.ResponseStream.MoveNext(CancellationToken.None))
            {
                seenWhileStopping.Add(watch.ResponseStream.Current);
            }

            Assert.Equal(Grpc.Core.StatusCode.OK, watch.GetStatus().StatusCode);
            var exits = seenWhileStopping.Where(u => u.State == ResourceState.Exited).Select(u => (u.ResourceName, u.ExitCode)).ToList();
            Assert.Equal([("orders-client", 0), ("orders-api", 0)], exits);
            // What is stopped can only be started; what is stopping offers nothing until it settles.
            Assert.All(seenWhileStopping.Where(u => u.State == ResourceState.Exited), u => Assert.Equal(["start"], u.Commands));
            Assert.All(seenWhileStopping.Where(u => u.State == ResourceState.Stopping), u => Assert.Empty(u.Commands));
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.True(await ProcessTable.AllGoneAsync(first.Replicas.Select(r => r.Pid), ChildrenGoneWithin), "a child outlived the AppHost after SIGTERM");
            // SIGTERM reached every child and each shut down gracefully (no kill after the timeout).
            Assert.Matches(@"orders-client-[0-9a-f]{8} is Exited with code 0", first.Output);
            Assert.Matches(@"orders-api-[0-9a-f]{8} is Exited with code 0", first.Output);
            Assert.DoesNotContain("killing it", first.Output, StringComparison.Ordinal);
            Assert.True(first.Output.IndexOf("Stopping orders-client", StringComparison.Ordinal) < first.Output.IndexOf("Stopping orders-api", StringComparison.Ordinal),
                "the client must be stopped before the API it calls");
        }

        var ports = AppHostPorts.Free();
        await using var second = AppHostProcess.Start(dataDirectory, ports, "--no-dashboard", "--loop-interval", "1s");
        var restarted = (await second.WaitForStateAsync("orders-api", "Running")).Single();
        var order = await restarted.CallAsync(c => c.getOrderAsync(new StringValue { Value = orderId }));
        Assert.Equal("survives restarts", order.Description);
        var client = (await second.WaitForStateAsync("orders-client", "Running")).Single();

        using var channel = GrpcChannel.ForAddress(ports.ResourceServiceUrl);
        var resources = new ResourceService.ResourceServiceClient(channel);
        Task Run(string name, ResourceCommand command) => resources.ExecuteCommandAsync(new ExecuteCommandRequest { Name = name, Command = command }).ResponseAsync;

        await Run("orders-client", ResourceCommand.Restart);
        var restartedClient = await second.WaitForReplicaAsync(r => r.Id == client.Id && r.Pid != client.Pid && r.State == "Running", "orders-client running in a new process");
        Assert.False(ProcessTable.IsAlive(client.Pid));

        // A start honours WaitFor like the first one: with the API stopped the client waits, and starts once the API runs.
        await Run("orders-client", ResourceCommand.Stop);
        await Run("orders-api", ResourceCommand.Stop);
        await Run("orders-client", ResourceCommand.Start);
        await second.WaitForReplicaAsync(r => r.Id == client.Id && r.State == "Waiting", "orders-client waiting for orders-api");
        Assert.False(ProcessTable.IsAlive(restartedClient.Pid));
        await Run("orders-api", ResourceCommand.Start);
        var apiAgain = await second.WaitForReplicaAsync(r => r.Id == restarted.Id && r.Pid != restarted.Pid && r.State == "Running", "orders-api running again");
        var clientAgain = await second.WaitForReplicaAsync(r => r.Id == client.Id && r.Pid != restartedClient.Pid && r.State == "Running", "orders-client started after the API");
        Assert.True(second.Output.LastIndexOf($"{apiAgain.Id} is Running", StringComparison.Ordinal) < second.Output.LastIndexOf($"{clientAgain.Id} started", StringComparison.Ordinal),
            "the client must start only once the API is Running again");

        var children = second.Replicas.Select(r => r.Pid).ToList();
        Assert.All(children, pid => Assert.True(ProcessTable.IsAlive(pid)));
        second.KillHard();
        await second.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await ProcessTable.AllGoneAsync(children, ChildrenGoneWithin), "a child outlived the SIGKILLed AppHost");
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);
}
