using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using OrdersAspire.Shared;

namespace Orders.Api.Benchmarks;

/// <summary>
/// A built project of this repository (Orders.Api, the gRPC insights, the bare baseline server), the Python contract server
/// of the tests, or the Aspire dashboard as a process on free loopback ports.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string? dataDirectory;

    private ServerProcess(Process process, string? dataDirectory)
    {
        this.process = process;
        this.dataDirectory = dataDirectory;
    }

    /// <summary>The Aspire dashboard's telemetry API key header.</summary>
    public const string ApiKeyHeader = "x-api-key";

    public static string Root { get; } = FindRoot();

    /// <summary>
    /// Orders.Api as a user would run it — Production settings, the sample orders, a fresh SQLite file — with
    /// <paramref name="settings"/> over that (another store, telemetry, limits).
    /// </summary>
    public static async Task<(ServerProcess Server, Uri Address)> StartApiAsync(IReadOnlyDictionary<string, string> settings)
    {
        var data = Directory.CreateTempSubdirectory("orders-bench-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
            ["ConnectionStrings__orders"] = $"Data Source={Path.Combine(data, "orders.db")}",
            ["Orders__SeedSampleData"] = "true",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        // Orders.Api speaks HTTP/2 only (h2c), so it is asked with prior knowledge.
        var server = await StartAsync(Project("Orders.Api"), environment, data, new Uri(address, "/health"), HttpVersion.Version20);
        return (server, address);
    }

    /// <summary>benchmarks/BareOrders.Server: the contract on plain grpc-dotnet, the baseline every ratio of the harness is taken to.</summary>
    public static async Task<(ServerProcess Server, Uri Address)> StartBareAsync()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = Project(Path.Combine("benchmarks", "BareOrders.Server"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(address.ToString().TrimEnd('/'));
        var server = await StartAsync(info, new Dictionary<string, string>(), null, new Uri(address, "/health"), HttpVersion.Version20);
        return (server, address);
    }

    /// <summary>
    /// Orders.Tests/CrossLanguage/orders_server.py, the grpcio server of the same contract, under Debian's /usr/bin/python3.
    /// It prints "listening &lt;port&gt;" once it accepts calls, and stops by itself after <paramref name="lifetime"/>.
    /// </summary>
    public static async Task<(ServerProcess Server, Uri Address)> StartPythonAsync(TimeSpan lifetime)
    {
        var info = new ProcessStartInfo("/usr/bin/python3");
        foreach (var argument in (string[])[Path.Combine(Root, "Orders.Tests", "CrossLanguage", "orders_server.py"), "0",
            Path.Combine(Root, "protos", "order_management.proto"), $"{(int)lifetime.TotalSeconds}"])
        {
            info.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new ServerProcess(Start(info, new Dictionary<string, string>(), line =>
        {
            if (line?.Split(' ') is ["listening", var port])
            {
                listening.TrySetResult(port);
            }
        }), null);
        try
        {
            var port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return (server, new Uri($"http://127.0.0.1:{port}"));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server process's resident set (VmRSS in /proc/&lt;pid&gt;/status), in MiB.</summary>
    public double ResidentMiB()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>
    /// The gRPC insights: their own OTLP receiver (standalone), or following an Aspire dashboard when the settings say so.
    /// </summary>
    public static async Task<(ServerProcess Server, Uri Ui, Uri OtlpGrpc)> StartInsightsAsync(IReadOnlyDictionary<string, string> settings)
    {
        var ui = new Uri($"http://127.0.0.1:{FreePort()}");
        var otlp = new Uri($"http://127.0.0.1:{FreePort()}");
        var server = await StartAsync(Project("OrdersAspire.GrpcInsights"), new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_URLS"] = ui.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = otlp.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}",
            ["Logging__LogLevel__Default"] = "Warning",
        }, null, new Uri(ui, "/api/status"), HttpVersion.Version11);
        return (server, ui, otlp);
    }

    /// <summary>
    /// The real Aspire dashboard the AppHost launches, configured as the AppHost does: OTLP/gRPC (unsecured, loopback),
    /// UI and telemetry API on one port (<paramref name="ui"/>), the API behind <paramref name="apiKey"/>.
    /// </summary>
    public static async Task<ServerProcess> StartAspireDashboardAsync(string apiKey, Uri ui, Uri otlp)
    {
        var executable = typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AspireDashboardPath").Value!;
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"Build the solution first: restoring the AppHost brings the Aspire dashboard ({executable} is missing).", executable);
        }

        return await StartAsync(new ProcessStartInfo(executable) { WorkingDirectory = Path.GetDirectoryName(executable)! }, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = ui.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = otlp.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Dashboard__Frontend__AuthMode"] = "Unsecured",
            ["Dashboard__Otlp__AuthMode"] = "Unsecured",
            ["Dashboard__Api__Enabled"] = "true",
            ["Dashboard__Api__AuthMode"] = "ApiKey",
            ["Dashboard__Api__PrimaryApiKey"] = apiKey,
            // Above the spans a round produces, so the span count after a round is what arrived, not what eviction left.
            ["Dashboard__TelemetryLimits__MaxTraceCount"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        }, null, new Uri(ui, "/api/telemetry/resources"), HttpVersion.Version11, apiKey);
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM first, so each server stops cleanly (the Python one removes its generated stubs); SIGKILL if it lingers.
        await GracefulStop.StopAsync(process, "TERM", TimeSpan.FromSeconds(10));
        process.Dispose();
        if (dataDirectory is not null)
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<ServerProcess> StartAsync(ProcessStartInfo info, IReadOnlyDictionary<string, string> environment, string? dataDirectory, Uri ready,
        Version httpVersion, string? apiKey = null)
    {
        var server = new ServerProcess(Start(info, environment), dataDirectory);
        try
        {
            await server.WaitUntilAsync(ready, httpVersion, apiKey);
            return server;
        }
        catch
        {
            // A server that never became ready must not outlive the benchmark.
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A project directory relative to the root, e.g. <c>Orders.Api</c>; its assembly has the directory's name.</summary>
    private static ProcessStartInfo Project(string directory)
    {
        var dll = Path.Combine(Root, directory, "bin", "Release", "net10.0", $"{Path.GetFileName(directory)}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build first: dotnet build -c Release ({dll} is missing).", dll);
        }

        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add(dll);
        return info;
    }

    private static Process Start(ProcessStartInfo info, IReadOnlyDictionary<string, string> environment, Action<string?>? onOutputLine = null)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        // Drained, not shown: a full pipe would stall the server mid-benchmark.
        process.OutputDataReceived += (_, e) => onOutputLine?.Invoke(e.Data);
        process.BeginOutputReadLine();
        return process;
    }

    private async Task WaitUntilAsync(Uri url, Version httpVersion, string? apiKey)
    {
        using var http = new HttpClient { DefaultRequestVersion = httpVersion, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException(process.HasExited
            ? $"{process.StartInfo.ArgumentList.FirstOrDefault() ?? process.StartInfo.FileName} exited with code {process.ExitCode} before {url} answered."
            : $"{url} did not answer within 60 s.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrdersAspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository.");
    }
}
