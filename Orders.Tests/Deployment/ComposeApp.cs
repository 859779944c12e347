using System.Security.Cryptography;
using Orders.Tests.Distributed;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Deployment;

/// <summary>
/// The Compose app (deploy/compose) up under rootful Podman, as a user runs it, on the images built from this checkout
/// (<see cref="ContainerImages"/>): two orders-api replicas on PostgreSQL in a named volume, the Aspire dashboard
/// container, the insights and the client scenario. The committed compose files run unchanged from a folder of their
/// own with a .env of fresh secrets, under a project name of their own; everything is removed at the end.
/// </summary>
public sealed class ComposeApp : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    private readonly string directory = Directory.CreateTempSubdirectory("orders-compose-").FullName;
    private readonly Dictionary<string, string?> environment;

    public ComposeApp()
    {
        Project = "orders-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var dashboardApiKey = Secret();
        var dashboardUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        environment = new()
        {
            ["CONTAINERS_CONF"] = Podman.ContainersConf,
            ["ORDERS_IMAGE_TAG"] = ContainerImages.Tag,
            ["POSTGRES_IMAGE"] = ContainerImages.Postgres,
            ["ASPIRE_DASHBOARD_IMAGE"] = ContainerImages.AspireDashboard,
            ["ASPIRE_DASHBOARD_PORT"] = dashboardUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GRPC_INSIGHTS_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["POSTGRES_PASSWORD"] = Secret(),
            ["OTLP_API_KEY"] = Secret(),
            ["DASHBOARD_API_KEY"] = dashboardApiKey,
            ["DASHBOARD_BROWSER_TOKEN"] = Secret(),
            ["GRPC_INSIGHTS_BROWSER_TOKEN"] = Secret(),
        };
        Telemetry = new DashboardTelemetry(dashboardUrl, dashboardApiKey);
    }

    public string Project { get; }
    public DashboardTelemetry Telemetry { get; }
        public string Network => $"{Project}_default";

    /// <summary>The container of a service's replica, named as podman-compose names it.</summary>
    public string Container(string service, int replica = 1) => $"{Project}_{service}_{replica}";

    public async Task InitializeAsync()
    {
        await ContainerImages.EnsureBuiltAsync();
        foreach (var file in (string[])["compose.yaml", "compose.aspire.yaml"])
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, "deploy", "compose", file), Path.Combine(directory, file));
        }

        await ComposeAsync("up", "-d");
        await WaitUntilHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await ComposeAsync("down", "-v", "-t", "5");
            // podman-compose 1.0.3's down leaves the project's network behind.
            await Podman.RunAsync("network", "rm", "--force", Network);
            await Podman.RunAsync("volume", "rm", "--force", $"{Project}_orders-data");
        }
        finally
        {
            Telemetry.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    public async Task<CommandResult> ComposeAsync(params string[] arguments)
    {
        var result = await ExternalCommand.RunAsync(
            "podman-compose", ["-p", Project, "-f", "compose.yaml", "-f", "compose.aspire.yaml", .. arguments], CommandTimeout, environment, directory);
        return result.EnsureSuccess();
    }

    /// <summary>Both replicas, PostgreSQL and the insights pass their healthchecks, and the dashboard's API answers.</summary>
    public async Task WaitUntilHealthyAsync()
    {
        foreach (var container in (string[])[Container("postgres"), Container("orders-api", 1), Container("orders-api", 2), Container("grpc-insights")])
        {
            await Eventually.HoldsAsync(() => Podman.IsHealthyAsync(container), healthy => healthy, $"{container} healthy", timeoutSeconds: 120);
        }

        await Eventually.HoldsAsync(
            async () => { try { await Telemetry.RecentSpansAsync(1); return true; } catch (HttpRequestException) { return false; } },
            answers => answers, "the Aspire dashboard's telemetry API answering", timeoutSeconds: 60);
    }

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
