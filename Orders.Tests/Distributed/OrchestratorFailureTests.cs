extern alias AppHost;

using AppHost::OrdersAspire.AppHost.Hosting;
using AppHost::OrdersAspire.AppHost.Hosting.ApplicationModel;
using AppHost::OrdersAspire.AppHost.Hosting.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>
/// The orchestration engine in-process with real child processes: a resource that cannot start or that crashes is
/// reported with its exit code and last console lines, a hung one turns Unhealthy until it answers again, a PostgreSQL
/// server that cannot run fails with its reason while what waits for it keeps waiting, and the others keep running.
/// </summary>
public sealed class OrchestratorFailureTests : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(90);

    private readonly string dataDirectory = Directory.CreateTempSubdirectory("orders-engine-").FullName;

    [Fact]
    public async Task FailedCrashedAndHungResourcesAreReportedWhileTheRestKeepsRunning()
    {
        var builder = DistributedApplication.CreateBuilder(["--no-dashboard", "--data-dir", dataDirectory, "--stop-timeout", "5"]);
        var orders = builder.AddSqlite("orders");
        builder.AddProject<OrdersApiProject>("survivor").WithHttpHealthCheck().WithReference(orders);
        // TEST-NET-1 is never a local address: Kestrel fails to bind and the process dies.
        builder.AddProject<OrdersApiProject>("crasher").WithHttpHealthCheck().WithReference(orders).WithEnvironment("ASPNETCORE_URLS", "http://192.0.2.1:1");
        builder.AddProject<MissingProject>("missing");
        await using var app = builder.Build();
        var replicas = app.Services.GetRequiredService<ResourceOrchestrator>().Replicas;
        using var stop = new CancellationTokenSource(Bounded * 2);
        var run = app.RunAsync(stop.Token);

        var crasher = await SettledAsync(replicas, "crasher", ResourceState.Exited);
        var missing = await SettledAsync(replicas, "missing", ResourceState.FailedToStart);
        var survivor = await SettledAsync(replicas, "survivor", ResourceState.Running);

        Assert.NotEqual(0, crasher.Snapshot.ExitCode);
        Assert.Contains(crasher.Console.Tail(50), line => line.Text.Contains("Cannot assign requested address", StringComparison.Ordinal));
        Assert.Contains(missing.Console.Tail(5), line => line.Text.Contains("not found", StringComparison.Ordinal));
        Assert.Null(missing.Snapshot.Pid);
        Assert.Equal(ResourceState.Running, survivor.Snapshot.State);

        // A frozen process keeps its port but stops answering the health probe.
        ProcessTable.Signal("-STOP", survivor.Snapshot.Pid!.Value);
        await SettledAsync(replicas, "survivor", ResourceState.Unhealthy);
        ProcessTable.Signal("-CONT", survivor.Snapshot.Pid!.Value);
        await SettledAsync(replicas, "survivor", ResourceState.Running);

        await stop.CancelAsync();
        await run;
        Assert.Equal(ResourceState.Exited, survivor.Snapshot.State);
        Assert.False(ProcessTable.IsAlive(survivor.Snapshot.Pid!.Value));
    }

    [Fact]
    public async Task PostgresWithoutBinariesFailsToStartWithItsReasonAndItsApiKeepsWaiting()
    {
        var noBinaries = Directory.CreateDirectory(Path.Combine(dataDirectory, "bin")).FullName;
        var builder = DistributedApplication.CreateBuilder(["--no-dashboard", "--data-dir", dataDirectory, "--stop-timeout", "5", "--postgres-bin", noBinaries]);
        var orders = builder.AddPostgres("postgres").AddDatabase("orders");
        builder.AddProject<OrdersApiProject>("waiter").WithHttpHealthCheck().WithReference(orders).WaitFor(orders);
        builder.AddProject<OrdersApiProject>("survivor").WithHttpHealthCheck().WithReference(builder.AddSqlite("orders"));
        await using var app = builder.Build();
        var replicas = app.Services.GetRequiredService<ResourceOrchestrator>().Replicas;
        using var stop = new CancellationTokenSource(Bounded * 2);
        var run = app.RunAsync(stop.Token);

        var server = await SettledAsync(replicas, "postgres", ResourceState.FailedToStart);
        await SettledAsync(replicas, "survivor", ResourceState.Running);

        Assert.Contains(server.Console.Tail(5), line => line.Text == $"--postgres-bin {noBinaries} has no postgres and initdb." && line.IsError);
        Assert.Null(server.Snapshot.Pid);
        Assert.Equal(ResourceState.Waiting, replicas.Single(r => r.Resource.Name == "waiter").Snapshot.State);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task PostgresRunsAsThePostgresUserUnderRootAndFailsWhenThatUserCannotReachTheDataFolder()
    {
        // A temp subdirectory is 0700: only its owner passes through, which is the server itself only when we are not root.
        var builder = DistributedApplication.CreateBuilder(["--no-dashboard", "--data-dir", dataDirectory, "--stop-timeout", "5"]);
        builder.AddPostgres("postgres");
        await using var app = builder.Build();
        var replicas = app.Services.GetRequiredService<ResourceOrchestrator>().Replicas;
        using var stop = new CancellationTokenSource(Bounded * 2);
        var run = app.RunAsync(stop.Token);

        if (Environment.IsPrivilegedProcess)
        {
            var server = await SettledAsync(replicas, "postgres", ResourceState.FailedToStart);
            var folder = Path.Combine(dataDirectory, "postgres");
            Assert.Contains(server.Console.Tail(5), line => line.Text.StartsWith(
                $"PostgreSQL runs as the postgres user (the AppHost runs as root), and postgres cannot reach {folder}: ", StringComparison.Ordinal));
        }
        else
        {
            await SettledAsync(replicas, "postgres", ResourceState.Running);
        }

        await stop.CancelAsync();
        await run;
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);

    private static async Task<ResourceReplica> SettledAsync(IReadOnlyList<ResourceReplica> replicas, string resource, ResourceState state)
    {
        var replica = replicas.Single(r => r.Resource.Name == resource);
        var deadline = DateTime.UtcNow + Bounded;
        while (replica.Snapshot.State != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{resource} is {replica.Snapshot.State}, expected {state}");
            await Task.Delay(100);
        }

        return replica;
    }

    private sealed class OrdersApiProject : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(RepositoryPaths.Root, "Orders.Api", "Orders.Api.csproj");

        public string AssemblyPath => RepositoryPaths.ProjectOutput("Orders.Api");
    }

    private sealed class MissingProject : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(RepositoryPaths.Root, "Missing", "Missing.csproj");

        public string AssemblyPath => Path.Combine(RepositoryPaths.Root, "Missing", "bin", "Missing.dll");
    }
}
