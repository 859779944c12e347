using System.Diagnostics;
using System.Net;
using OrdersAspire.TestHarness;

namespace Orders.Api.Benchmarks;

/// <summary>
/// The servers a benchmark compares, each a process on free loopback ports stopped with SIGTERM: Orders.Api, the gRPC
/// insights, the bare baseline server and its template peer (the Python contract server and the Aspire dashboard come from the harness as they are).
/// </summary>
internal static class Servers
{
    /// <summary>The row every ratio of the harness is taken to.</summary>
    public const string BareName = "bare grpc-dotnet (benchmarks/BareOrders.Server)";

    /// <summary>The row every second ratio is taken to: the server a .NET developer starting from the Aspire template has.</summary>
    public const string TemplatePeerName = "template peer: bare + the Aspire starter template's service defaults, no export";

    /// <summary>The template peer's OTEL_SERVICE_NAME when it exports.</summary>
    public const string TemplatePeerService = "template-peer";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // Each server stops cleanly on SIGTERM; SIGKILL if it lingers.
    private const string Stop = "TERM";

    /// <summary>
    /// Orders.Api as a user would run it — Production settings, the sample orders, a fresh SQLite file — with
    /// <paramref name="settings"/> over that (another store, telemetry, limits); from <paramref name="build"/>, another
    /// checkout's Release output folder, when given.
    /// </summary>
    public static async Task<(ServerProcess Server, Uri Address)> StartApiAsync(IReadOnlyDictionary<string, string> settings, string? build = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Orders__SeedSampleData"] = "true",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        var (server, address, _) = await OrdersApi.StartAsync(environment, urlFromEnvironment: true, stopSignal: Stop, build: build);
        return (server, address);
    }

    /// <summary>benchmarks/BareOrders.Server: the contract on plain grpc-dotnet, the baseline every ratio of the harness is taken to.</summary>
    public static Task<(ServerProcess Server, Uri Address)> StartBareAsync() => StartBareOrdersAsync([], new Dictionary<string, string>());

    /// <summary>
    /// The template peer: benchmarks/BareOrders.Server with the Aspire starter template's service defaults
    /// (--template-defaults), with <paramref name="settings"/> in its environment (OTLP export).
    /// </summary>
    public static Task<(ServerProcess Server, Uri Address)> StartTemplatePeerAsync(IReadOnlyDictionary<string, string> settings) =>
        StartBareOrdersAsync(["--template-defaults"], settings);

    private static async Task<(ServerProcess Server, Uri Address)> StartBareOrdersAsync(string[] arguments, IReadOnlyDictionary<string, string> settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var info = Launch.Project(Path.Combine("benchmarks", "BareOrders.Server"), ["--urls", address.ToString().TrimEnd('/'), .. arguments],
            settings.ToDictionary(setting => setting.Key, string? (setting) => setting.Value));
        return (await StartAsync(info, new Uri(address, "/health"), HttpVersion.Version20), address);
    }

    /// <summary>
    /// The gRPC insights: their own OTLP receiver (standalone), or following an Aspire dashboard when the settings say so.
    /// </summary>
    public static async Task<(ServerProcess Server, Uri Ui, Uri OtlpGrpc)> StartInsightsAsync(IReadOnlyDictionary<string, string> settings)
    {
        var ui = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var otlp = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = ui.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = otlp.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return (await StartAsync(Launch.Project("OrdersAspire.GrpcInsights", [], environment), new Uri(ui, "/api/status"), HttpVersion.Version11), ui, otlp);
    }

    private static Task<ServerProcess> StartAsync(ProcessStartInfo info, Uri ready, Version httpVersion) =>
        ServerProcess.StartAsync(info, ready, httpVersion, StartTimeout, Stop);
}
