extern alias GrpcInsights;

using System.Runtime.Versioning;
using GrpcInsights::OrdersAspire.ResourceService;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;

namespace Orders.Tests.Distributed;

/// <summary>
/// The real AppHost with <c>--store postgres</c>: it runs its own PostgreSQL server, the API starts once that accepts
/// logins and keeps its orders there, across AppHost runs; SIGTERM stops the server after the API, and no server
/// process outlives the AppHost, even a SIGKILLed one. A <c>--store</c> it does not know is a usage error.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class AppHostPostgresTests : IDisposable
{
    private static readonly TimeSpan ProcessesGoneWithin = TimeSpan.FromSeconds(5);

    private readonly string dataDirectory = TraversableTempDirectory();

    [Fact]
    public async Task ApiKeepsOrdersInTheAppHostsPostgres_AcrossRuns_AndNoServerProcessOutlivesTheAppHost()
    {
        string[] arguments = ["--no-dashboard", "--store", "postgres", "--loop-interval", "1s"];
        string orderId;
        var ports = AppHostPorts.Free();
        await using (var first = AppHostProcess.Start(dataDirectory, ports, arguments))
        {
            var server = (await first.WaitForStateAsync("postgres", "Running")).Single();
            var api = (await first.WaitForStateAsync("orders-api", "Running")).Single();
            Assert.True(first.Output.IndexOf($"{server.Id} is Running", StringComparison.Ordinal) < first.Output.IndexOf($"{api.Id} started", StringComparison.Ordinal),
                "the API must start only once PostgreSQL accepts logins");

            var connectionString = ProcessTable.EnvironmentOf(api.Pid)["ConnectionStrings__orders"];
            Assert.Matches($"^Host=127.0.0.1;Port={server.Endpoint!.Port};Username=postgres;Password=[0-9a-f]{{32}};Database=orders$", connectionString);
            Assert.Equal("tcp", server.Endpoint.Scheme);
            Assert.Contains($"creating directory {Path.Combine(dataDirectory, "postgres", "data")} ... ok", first.Output, StringComparison.Ordinal);

            await AssertShownAsExecutableAsync(ports, server);

            orderId = (await api.CallAsync(c => c.addOrderAsync(new Order { Items = { "Kept by PostgreSQL" }, Price = 42, Description = "in postgres" }))).Value;
            Assert.Equal("in postgres", await DescriptionInDatabaseAsync(connectionString, orderId));

            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            // SIGINT is PostgreSQL's fast shutdown: it exits 0 on its own, after the API that uses it has stopped.
            Assert.Matches(@"postgres-[0-9a-f]{8} is Exited with code 0", first.Output);
            Assert.DoesNotContain("killing it", first.Output, StringComparison.Ordinal);
            Assert.True(first.Output.IndexOf("Stopping orders-api", StringComparison.Ordinal) < first.Output.IndexOf("Stopping postgres", StringComparison.Ordinal),
                "the API must be stopped before the server it uses");
            Assert.True(await NoProcessLeftInDataDirectoryAsync(), "a PostgreSQL process outlived the AppHost after SIGTERM");
        }

        await using var second = AppHostProcess.Start(dataDirectory, AppHostPorts.Free(), arguments);
        var restartedServer = (await second.WaitForStateAsync("postgres", "Running")).Single();
        var restartedApi = (await second.WaitForStateAsync("orders-api", "Running")).Single();
        // initdb ran only on the first start; the password it was given still logs in.
        Assert.DoesNotContain("creating directory", second.Output, StringComparison.Ordinal);
        Assert.Equal("in postgres", (await restartedApi.CallAsync(c => c.getOrderAsync(new StringValue { Value = orderId }))).Description);

        second.KillHard();
        await second.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await ProcessTable.AllGoneAsync([restartedServer.Pid], ProcessesGoneWithin), "the server outlived the SIGKILLed AppHost");
        Assert.True(await NoProcessLeftInDataDirectoryAsync(), "a PostgreSQL backend outlived the SIGKILLed AppHost");
    }

    [Fact]
    public async Task AnUnknownStoreEndsTheAppHostWithAUsageError()
    {
        await using var appHost = AppHostProcess.Start(dataDirectory, AppHostPorts.Free(), "--no-dashboard", "--store", "mysql");

        Assert.Equal(2, await appHost.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("--store must be sqlite or postgres, not 'mysql'.", appHost.Output, StringComparison.Ordinal);
        Assert.Empty(appHost.Replicas);
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);

    // Under root the server runs as the postgres user, which must be able to pass through the data folder.
    private static string TraversableTempDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("orders-apphost-pg-").FullName;
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return directory;
    }

    // What the dashboard's Resources page shows comes from the AppHost's resource service.
    private static async Task AssertShownAsExecutableAsync(AppHostPorts ports, ReplicaInfo server)
    {
        using var channel = GrpcChannel.ForAddress(ports.ResourceServiceUrl);
        var client = new ResourceService.ResourceServiceClient(channel);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var resources = client.WatchResources(new WatchResourcesRequest(), cancellationToken: timeout.Token);
        var update = await resources.ResponseStream.ReadAllAsync(timeout.Token).FirstAsync(u => u.ReplicaId == server.Id && u.State == ResourceState.Running, timeout.Token);
        Assert.Equal("Executable", update.ResourceType);
        Assert.Equal(server.Pid, update.Pid);
        Assert.Equal([$"tcp://127.0.0.1:{server.Endpoint!.Port}"], update.Endpoints);

        using var console = client.WatchConsoleLogs(new WatchConsoleLogsRequest { Name = "postgres" }, cancellationToken: timeout.Token);
        await console.ResponseStream.ReadAllAsync(timeout.Token).FirstAsync(l => l.Text.EndsWith("database system is ready to accept connections", StringComparison.Ordinal), timeout.Token);
    }

    private static async Task<string?> DescriptionInDatabaseAsync(string connectionString, string orderId)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT description FROM orders WHERE id = @id", connection);
        select.Parameters.AddWithValue("id", orderId);
        return (string?)await select.ExecuteScalarAsync();
    }

    // PostgreSQL processes rename themselves ("postgres: checkpointer"), but all keep the cluster as working directory.
    private async Task<bool> NoProcessLeftInDataDirectoryAsync()
    {
        var deadline = DateTime.UtcNow + ProcessesGoneWithin;
        while (ProcessesWorkingIn(dataDirectory).Any())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    private static IEnumerable<int> ProcessesWorkingIn(string folder) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ProcessTable.IsAlive(pid) && WorkingDirectory(pid)?.StartsWith(folder + "/", StringComparison.Ordinal) == true);

    private static string? WorkingDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile, or another user's process.
            return null;
        }
    }
}
