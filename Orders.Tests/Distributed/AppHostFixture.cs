using System.Text.Json;
using Orders.Tests.GrpcInsights;

namespace Orders.Tests.Distributed;

/// <summary>
/// One AppHost run shared by the distributed tests: dashboard, 2 orders-api replicas and orders-client looping the
/// scenario every second, on free ports with a temp data folder. Ready once a scenario passed and its telemetry —
/// including the DEADLINE_EXCEEDED trace with both sides — reached the dashboard.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public const int ApiReplicas = 2;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("orders-apphost-").FullName;

    public AppHostPorts Ports { get; } = AppHostPorts.Free();

    public AppHostProcess AppHost { get; private set; } = null!;

    public HttpClient Dashboard { get; private set; } = null!;

    public IReadOnlyList<ReplicaInfo> Api { get; private set; } = [];

    public ReplicaInfo Client { get; private set; } = null!;

    /// <summary>The client's environment, read at start: a test may restart the client later.</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment { get; private set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        AppHost = AppHostProcess.Start(DataDirectory, Ports, "--replicas", $"{ApiReplicas}", "--loop-interval", "1s");
        Dashboard = new HttpClient { BaseAddress = Ports.DashboardUrl, Timeout = TimeSpan.FromSeconds(10) };
        Api = await AppHost.WaitForStateAsync("orders-api", "Running", ApiReplicas);
        Client = (await AppHost.WaitForStateAsync("orders-client", "Running")).Single();
        ClientEnvironment = ProcessTable.EnvironmentOf(Client.Pid);
        await AppHost.WaitForOutputAsync("10/10 steps passed");
        await DashboardHost.EventuallyAsync(() => Dashboard.GetJsonAsync("/api/traces?status=DEADLINE_EXCEEDED&limit=1"),
            list => list.Items("traces").Any(t => t.Items("services").Count() == 2), "a DEADLINE_EXCEEDED trace from both services", timeoutSeconds: 60);
    }

    /// <summary>The newest complete trace of a scenario step (waiting, bounded, for its telemetry to arrive).</summary>
    public async Task<JsonElement> StepTraceAsync(string status, string method)
    {
        // Five spans: scenario step, gRPC client, HTTP client, ASP.NET Core server, Orders.Api interceptor.
        static bool Complete(JsonElement t) => t.Items("services").Count() == 2 && t.GetProperty("spanCount").GetInt32() >= 5;

        var list = await DashboardHost.EventuallyAsync(() => Dashboard.GetJsonAsync($"/api/traces?status={status}&method={method}&limit=20"),
            traces => traces.Items("traces").Any(Complete), $"a complete {method} {status} trace", timeoutSeconds: 30);
        return await Dashboard.GetJsonAsync($"/api/traces/{list.Items("traces").First(Complete).Str("traceId")}");
    }

    public async Task DisposeAsync()
    {
        Dashboard?.Dispose();
        if (AppHost is not null)
        {
            await AppHost.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostRun : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
