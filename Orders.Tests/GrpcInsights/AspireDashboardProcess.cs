using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Reflection;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The real Aspire dashboard (from the Aspire.Dashboard.Sdk.linux-x64 package) run standalone on loopback: UI and
/// telemetry API on one port, OTLP/gRPC on another, the API behind an API key, as an Aspire AppHost would run it.
/// </summary>
public sealed class AspireDashboardProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private AspireDashboardProcess(Uri frontendUrl, Uri otlpGrpcUrl, string apiKey)
    {
        FrontendUrl = frontendUrl;
        OtlpGrpcUrl = otlpGrpcUrl;
        ApiKey = apiKey;
    }

    public Uri FrontendUrl { get; }
    public Uri OtlpGrpcUrl { get; }
    public string ApiKey { get; }

    /// <summary>The dashboard executable, located at build time through the package's path property.</summary>
    public static string ExecutablePath { get; } = typeof(AspireDashboardProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AspireDashboardPath").Value!;

    public static async Task<AspireDashboardProcess> StartAsync()
    {
        var dashboard = new AspireDashboardProcess(
            new Uri($"http://127.0.0.1:{FreePort.Next()}"), new Uri($"http://127.0.0.1:{FreePort.Next()}"), "api-key-" + Guid.NewGuid().ToString("N"));
        await dashboard.RestartAsync();
        return dashboard;
    }

    /// <summary>(Re)starts the dashboard on the same addresses and waits until its telemetry API answers.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        Assert.True(File.Exists(ExecutablePath), $"The Aspire dashboard is missing at {ExecutablePath}");
        var start = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = Path.GetDirectoryName(ExecutablePath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = FrontendUrl.ToString();
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = OtlpGrpcUrl.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Dashboard__Frontend__AuthMode"] = "Unsecured";
        start.Environment["Dashboard__Otlp__AuthMode"] = "Unsecured";
        start.Environment["Dashboard__Api__Enabled"] = "true";
        start.Environment["Dashboard__Api__AuthMode"] = "ApiKey";
        start.Environment["Dashboard__Api__PrimaryApiKey"] = ApiKey;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The Aspire dashboard exited ({_process.ExitCode}):\n{Output}");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(FrontendUrl, "/api/telemetry/resources"));
                request.Headers.Add("x-api-key", ApiKey);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The Aspire dashboard's telemetry API did not answer within 60 s:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    public string Output => string.Join('\n', _output);

    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }
}
