using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orders.Api.Benchmarks;

/// <summary>A built project of this repository (Orders.Api, the dashboard) as a process on free loopback ports.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string? dataDirectory;

    private ServerProcess(Process process, string? dataDirectory)
    {
        this.process = process;
        this.dataDirectory = dataDirectory;
    }

    public static string Root { get; } = FindRoot();

    /// <summary>Orders.Api with a fresh SQLite file and the sample orders, as a user would run it, plus extra settings.</summary>
    public static async Task<(ServerProcess Server, Uri Address)> StartApiAsync(IReadOnlyDictionary<string, string> settings)
    {
        var data = Directory.CreateTempSubdirectory("orders-bench-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
            ["ConnectionStrings__orders"] = $"Data Source={Path.Combine(data, "orders.db")}",
            ["Orders__SeedSampleData"] = "true",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        // Orders.Api speaks HTTP/2 only (h2c), so it is asked with prior knowledge.
        var server = await StartAsync("Orders.Api", environment, data, new Uri(address, "/health"), HttpVersion.Version20);
        return (server, address);
    }

    /// <summary>Our dashboard as the OTLP backend the services export to under the AppHost.</summary>
    public static async Task<(ServerProcess Server, Uri OtlpGrpc)> StartDashboardAsync()
    {
        var ui = new Uri($"http://127.0.0.1:{FreePort()}");
        var otlp = new Uri($"http://127.0.0.1:{FreePort()}");
        var server = await StartAsync("OrdersAspire.GrpcInsights", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = ui.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = otlp.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}",
            ["Logging__LogLevel__Default"] = "Warning",
        }, null, new Uri(ui, "/api/status"), HttpVersion.Version11);
        return (server, otlp);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        if (dataDirectory is not null)
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<ServerProcess> StartAsync(string project, IReadOnlyDictionary<string, string> environment, string? dataDirectory, Uri ready, Version httpVersion)
    {
        var server = new ServerProcess(Start(project, environment), dataDirectory);
        try
        {
            await server.WaitUntilAsync(ready, httpVersion);
            return server;
        }
        catch
        {
            // A server that never became ready must not outlive the benchmark.
            await server.DisposeAsync();
            throw;
        }
    }

    private static Process Start(string project, IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(Root, project, "bin", "Release", "net10.0", $"{project}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build first: dotnet build -c Release ({dll} is missing).", dll);
        }

        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(dll);
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        // Drained, not shown: a full pipe would stall the server mid-benchmark.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private async Task WaitUntilAsync(Uri url, Version httpVersion)
    {
        using var http = new HttpClient { DefaultRequestVersion = httpVersion, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
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
            ? $"{process.StartInfo.ArgumentList[0]} exited with code {process.ExitCode} before {url} answered."
            : $"{url} did not answer within 60 s.");
    }

    private static int FreePort()
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
