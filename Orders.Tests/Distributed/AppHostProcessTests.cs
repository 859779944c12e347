using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using System.Text.RegularExpressions;
using Orders.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orders.Tests.Distributed;

/// <summary>The built AppHost as an operator runs it: what stopping it leaves behind, how it refuses bad settings, its manifest.</summary>
[SupportedOSPlatform("linux")]
[Requires(Need.AppHost)]
public sealed class AppHostProcessTests(ITestOutputHelper output) : IDisposable
{
    // Orders.Api's own launch profile (dotnet run --project Orders.Api).
    private const int StandaloneOrdersApiPort = 50051;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    // Measured on a 2-core machine under a load of 20-50: the last process (DCP itself) gone 6.6 s (sqlite) and 9.2 s
    // (postgres) after SIGTERM.
    private static readonly TimeSpan TermStopTimeout = TimeSpan.FromSeconds(10);
    // SIGKILL: DCP notices the AppHost's death through --monitor, then stops the rest; measured 7-15 s.
    private static readonly TimeSpan KillStopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan SettingsTimeout = TimeSpan.FromSeconds(60);

    // The services whose processes DCP starts under their resource names.
    private static readonly string[] Services = ["orders-api", "orders-client", "grpc-insights"];

    private readonly DirectoryInfo dataDirectory = Directory.CreateTempSubdirectory("orders-apphost-");

    [Theory]
    [InlineData("TERM", "sqlite")]
    // PostgreSQL adds the most processes: its launcher script, the server and its workers.
    [InlineData("TERM", "postgres")]
    // SIGKILL gives the AppHost no chance to stop anything: DCP's --monitor of the AppHost's pid must.
    [InlineData("KILL", "sqlite")]
    public async Task SignallingTheAppHostEndsEveryProcessItStarted(string signal, string store)
    {
        // The server runs as the postgres user when the tests run as root: it must reach the data folder.
        dataDirectory.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        using var host = AppHostProcess.Start(["--data-dir", dataDirectory.FullName, "--loop-interval", "1s", "--store", store]);

        var up = await Eventually.WithinAsync(
            () => host.Stdout.Contains("Distributed application started", StringComparison.Ordinal) && Services.All(s => host.Processes().Any(p => p.Name == s)),
            StartTimeout, PollInterval);
        Assert.True(up, $"The app did not come up within {StartTimeout}.\nstdout:\n{host.Stdout}\nstderr:\n{host.Stderr}");

        // What a newcomer sees: the dashboard's login URL, and no certificate warning on a machine without a development certificate.
        Assert.Contains("Login to the dashboard at http://127.0.0.1:", host.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("development certificate", host.Stdout + host.Stderr, StringComparison.OrdinalIgnoreCase);
        await AssertTheInsightsUrlIsPrintedAndAnswersAsync(host);

        var started = host.Processes();
        output.WriteLine($"Before SIG{signal}: {string.Join('\n', started)}");
        Assert.Contains(started, p => p.Name == "dcp" && p.CommandLine.Contains("start-apiserver", StringComparison.Ordinal));
        Assert.Contains(started, p => p.Name == "Aspire.Dashboard");

        var stopTimeout = signal == "TERM" ? TermStopTimeout : KillStopTimeout;
        var clock = Stopwatch.StartNew();
        host.Signal(signal);
        // PostgreSQL's workers rewrite their environment (their ps titles), so the data folder on its command line finds the server.
        IReadOnlyList<RunProcess> Left() =>
            [.. host.Processes().Where(p => started.Any(s => s.Pid == p.Pid)), .. AppHostProcess.ProcessesMentioning(dataDirectory.FullName)];
        var left = Left();
        while (left.Count > 0 && clock.Elapsed < stopTimeout)
        {
            await Task.Delay(PollInterval);
            var stillLeft = Left();
            if (stillLeft.Count != left.Count)
            {
                output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s after SIG{signal}, left: {string.Join(", ", stillLeft.Select(p => $"{p.Pid} {p.Name}"))}");
            }

            left = stillLeft;
        }

        output.WriteLine($"SIG{signal}: every process of the run gone after {clock.Elapsed.TotalSeconds:F1} s: {left.Count == 0}");
        Assert.True(left.Count == 0, $"Still running {stopTimeout.TotalSeconds} s after SIG{signal}:\n{string.Join('\n', left)}");
        await host.WaitForExitAsync(stopTimeout);
    }

    [Fact]
    public async Task OrdersApiTakesNoFixedPortSoAStandaloneOrdersApiOnItsPortDoesNotCollide()
    {
        // Held here, or already by a standalone Orders.Api or another test: either way the AppHost must not need it.
        // (Who else connects to it is not this run's business: other tests on the machine may.)
        using var standalone = TryListen(StandaloneOrdersApiPort);
        using var host = AppHostProcess.Start(["--data-dir", dataDirectory.FullName, "--loop-interval", "1s"]);

        // orders-client starts once orders-api is healthy (WaitFor).
        var up = await Eventually.WithinAsync(
            () => host.Stdout.Contains("Distributed application started", StringComparison.Ordinal) && host.Processes().Any(p => p.Name == "orders-client"),
            StartTimeout, PollInterval);
        Assert.True(up, $"The app did not come up within {StartTimeout}.\nstdout:\n{host.Stdout}\nstderr:\n{host.Stderr}");

        // The address the client calls is orders-api's under DCP, and it answers with the sample data.
        var address = host.VariableOf("orders-client", "services__orders-api__http__0");
        Assert.NotNull(address);
        Assert.NotEqual(StandaloneOrdersApiPort, new Uri(address).Port);
        using var channel = GrpcChannel.ForAddress(address);
        var order = await new OrderManagement.OrderManagementClient(channel).getOrderAsync(new StringValue { Value = "103" }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(["Item - A", "Item - E"], order.Items);
    }

    [Theory]
    [InlineData("replicas", "0")]
    [InlineData("store", "mysql")]
    [InlineData("loop-interval", "soon")]
    [InlineData("data-dir", "/proc/version")]
    // Not writable even for root.
    [InlineData("data-dir", "/sys/kernel/orders-aspire")]
    [InlineData("data-dir", "")]
    [InlineData("replicas", "")]
    [InlineData("auth", "maybe")]
    public async Task ABadSettingIsOneLineNamingItAndExitCode2(string setting, string value)
    {
        using var host = await AppHostProcess.RunToExitAsync(SettingsTimeout, "--data-dir", dataDirectory.FullName, $"--{setting}", value);

        AssertRefusedWithOneLine(host, $"{setting}: '{value}'");
    }

    [Theory]
    [InlineData("--replica", "--replica: unknown setting; did you mean --replicas?")]
    [InlineData("--publish", "--publish: unknown setting; did you mean --publisher?")]
    [InlineData("-r", "-r: not a setting")]
    public async Task AnUnknownSettingIsOneLineNamingTheClosestAndExitCode2(string setting, string expected)
    {
        using var host = await AppHostProcess.RunToExitAsync(SettingsTimeout, "--data-dir", dataDirectory.FullName, setting, "2");

        AssertRefusedWithOneLine(host, expected);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task HelpPrintsEverySettingAndStartsNothing(string help)
    {
        var neverCreated = Path.Combine(dataDirectory.FullName, "never-created");
        using var host = await AppHostProcess.RunToExitAsync(SettingsTimeout, "--data-dir", neverCreated, help);

        Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode}\nstderr:\n{host.Stderr}");
        Assert.Equal("", host.Stderr);
        var lines = host.Stdout.Split('\n');
        Assert.All(
            (string[])["replicas", "loop-interval", "store", "data-dir", "postgres-bin", "auth", .. AppHostProcess.DashboardAddressKeys],
            setting => Assert.Contains(lines, line => line.TrimStart().StartsWith($"{setting} ", StringComparison.Ordinal)));
        // The addresses are shown as this run would use them: the free ports the test passed.
        Assert.Contains(lines, line => line.TrimStart().StartsWith("ASPNETCORE_URLS ", StringComparison.Ordinal) && !line.Contains(":18888", StringComparison.Ordinal));
        Assert.DoesNotContain("Distributed application", host.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(neverCreated), "--help read the settings and created the data folder.");
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")]
    [InlineData("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL")]
    [InlineData("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL")]
    public async Task AFixedPortAlreadyTakenIsOneLineNamingThePortAndExitCode2(string key)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        using var host = await AppHostProcess.RunToExitAsync(SettingsTimeout, "--data-dir", dataDirectory.FullName, $"--{key}=http://127.0.0.1:{port}");

        AssertRefusedWithOneLine(host, $"{key}: port {port}");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TheManifestNamesEveryResource(string store)
    {
        var manifest = Path.Combine(dataDirectory.FullName, "aspire-manifest.json");
        using var host = await AppHostProcess.RunToExitAsync(
            SettingsTimeout, "--publisher", "manifest", "--output-path", manifest, "--store", store, "--data-dir", dataDirectory.FullName);
        Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode}\nstderr:\n{host.Stderr}");

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        var resources = json.RootElement.GetProperty("resources");
        var api = resources.GetProperty("orders-api");
        Assert.Matches("^project\\.v[01]$", api.GetProperty("type").GetString());
        Assert.Equal("http2", api.GetProperty("bindings").GetProperty("http").GetProperty("transport").GetString());
        Assert.StartsWith("project.", resources.GetProperty("orders-client").GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("project.", resources.GetProperty("grpc-insights").GetProperty("type").GetString(), StringComparison.Ordinal);
        // Every project serves plain HTTP (h2c for gRPC) under the AppHost: the manifest publishes no https binding either.
        var bindings = Services.SelectMany(s => resources.GetProperty(s).TryGetProperty("bindings", out var b) ? b.EnumerateObject().ToArray() : []);
        Assert.All(bindings, binding => Assert.Equal("http", binding.Value.GetProperty("scheme").GetString()));
        Assert.DoesNotContain("https", json.RootElement.GetRawText(), StringComparison.Ordinal);
        // The store is whatever hands orders-api its connection string.
        Assert.False(string.IsNullOrEmpty(resources.GetProperty("orders").GetProperty("connectionString").GetString()));
        if (store == "postgres")
        {
            Assert.Contains("{postgres.connectionString}", resources.GetProperty("orders").GetProperty("connectionString").GetString(), StringComparison.Ordinal);
            Assert.Equal("executable.v0", resources.GetProperty("postgres").GetProperty("type").GetString());
        }
        else
        {
            Assert.False(resources.TryGetProperty("postgres", out _));
        }
    }

    public void Dispose() => dataDirectory.Delete(recursive: true);

    /// <summary>A listener on <paramref name="port"/>, or null when something else already holds it.</summary>
    private static TcpListener? TryListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            return null;
        }
    }

    /// <summary>The AppHost prints the insights' URL on 127.0.0.1, like the dashboard's, and it answers.</summary>
    private static async Task AssertTheInsightsUrlIsPrintedAndAnswersAsync(AppHostProcess host)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var status = await http.GetAsync(new Uri(await InsightsUrlAsync(host), "/api/status"));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    /// <summary>The insights' URL as the AppHost prints it, on 127.0.0.1 like the dashboard's (bounded wait).</summary>
    internal static async Task<Uri> InsightsUrlAsync(AppHostProcess host)
    {
        var insightsLine = new Regex(@"gRPC insights at (http://127\.0\.0\.1:\d+/?)\r?$", RegexOptions.Multiline);
        var printed = await Eventually.WithinAsync(() => insightsLine.IsMatch(host.Stdout), StartTimeout, PollInterval);
        Assert.True(printed, $"No 'gRPC insights at http://127.0.0.1:port' line.\nstdout:\n{host.Stdout}");
        return new Uri(insightsLine.Match(host.Stdout).Groups[1].Value);
    }

    private static void AssertRefusedWithOneLine(AppHostProcess host, string expected)
    {
        var lines = host.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(host.ExitCode == 2, $"exit code {host.ExitCode}\nstderr:\n{host.Stderr}");
        var line = Assert.Single(lines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Stderr, StringComparison.Ordinal);
    }
}
