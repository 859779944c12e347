using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Distributed;

/// <summary>
/// The real AppHost, run in-process through Aspire.Hosting.Testing with the Aspire dashboard on: DCP starts the real
/// services. Every port is a free loopback port, data lives in a temp folder, and the dashboard's
/// telemetry API key and login token are known to the test.
/// </summary>
public sealed class AspireApp : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private AspireApp(DistributedApplication app, string apiKey, string browserToken, string dataDirectory)
    {
        App = app;
        // DCP's proxy in front of the dashboard, on a port of its choosing (the testing builder randomizes ports).
        DashboardUrl = app.GetEndpoint("aspire-dashboard", "http");
        BrowserToken = browserToken;
        DataDirectory = dataDirectory;
        Telemetry = new DashboardTelemetry(DashboardUrl, apiKey);
    }

    public DistributedApplication App { get; }

    public Uri DashboardUrl { get; }

    public string BrowserToken { get; }

    public string DataDirectory { get; }

    /// <summary>The Aspire dashboard's telemetry API, authenticated with the key the AppHost handed it.</summary>
    public DashboardTelemetry Telemetry { get; }

    public Uri LoginUrl => new(DashboardUrl, $"/login?t={BrowserToken}");

    /// <summary>Starts the app with AppHost settings such as <c>--replicas 2</c>; returns once orders-api is healthy.</summary>
    public static async Task<AspireApp> StartAsync(string dataDirectory, params string[] settings)
    {
        var apiKey = Secret();
        var browserToken = Secret();
        string[] args =
        [
            .. settings,
            "--data-dir", dataDirectory,
            $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort.Next()}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
            $"--AppHost:DashboardApiKey={apiKey}",
            $"--ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={browserToken}",
        ];

        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrdersAspire_AppHost>(
            args, (options, _) => options.DisableDashboard = false, timeout.Token);
        // Every resource's console would otherwise scroll through the test run's output (Aspire logs a resource's stderr
        // lines as errors, so a level would not hold them back); the tests judge telemetry and states, not consoles.
        // (Category filters: the AppHost's appsettings.json sets a default level that a minimum level would not beat.)
        builder.Services.AddLogging(logging => logging
            .AddFilter("OrdersAspire.AppHost.Resources", LogLevel.None)
            .AddFilter("Aspire.Hosting", LogLevel.Warning));
        var app = await builder.BuildAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("orders-api", timeout.Token);
            return new AspireApp(app, apiKey, browserToken, dataDirectory);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits (bounded) until <paramref name="resource"/> reaches one of <paramref name="states"/>.</summary>
    public async Task<string> WaitForStateAsync(string resource, params string[] states)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        return await App.ResourceNotifications.WaitForResourceAsync(resource, states, timeout.Token);
    }

    /// <summary>Runs <paramref name="command"/> on <paramref name="resource"/> through Aspire's resource command API once the dashboard would offer it: when it is enabled.</summary>
    public async Task<ExecuteCommandResult> ExecuteCommandWhenEnabledAsync(string resource, string command)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.Commands.Any(c => c.Name == command && c.State == ResourceCommandState.Enabled), timeout.Token);
        return await App.ResourceCommands.ExecuteCommandAsync(resource, command, timeout.Token);
    }

    /// <summary>The names Aspire gives <paramref name="resource"/>'s replicas on the Resources page, e.g. <c>orders-api-abcdefgh</c>.</summary>
    /// <summary>The port DCP gave <paramref name="replica"/> for its gRPC endpoint, as its ASPNETCORE_URLS on the Resources page shows it.</summary>
    public int ReplicaPort(string replica)
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState(replica, out var state), $"no state for {replica}");
        var urls = state!.Snapshot.EnvironmentVariables.Single(v => v.Name == "ASPNETCORE_URLS").Value;
        return new Uri(urls!.Split(';')[0]).Port;
    }

    public async Task<IReadOnlySet<string>> ReplicaNamesAsync(string resource, int replicas)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var names = new HashSet<string>();
        // Every resource's current snapshot comes first, each replica's under its own id.
        await foreach (var update in App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (update.Resource.Name == resource && names.Add(update.ResourceId) && names.Count == replicas)
            {
                break;
            }
        }

        return names;
    }

    public async ValueTask DisposeAsync()
    {
        Telemetry.Dispose();
        await App.DisposeAsync();
    }

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
