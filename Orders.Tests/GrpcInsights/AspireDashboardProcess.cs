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
    private readonly ConcurrentQueue<string> output = new();
    private Process? process;

    private AspireDashboardProcess(Uri frontendUrl, Uri otlpGrpcUrl, string apiKey)
    {
        FrontendUrl = frontendUrl;
        OtlpGrpcUrl = otlpGrpcUrl;
        ApiKey = apiKey;
    }

    public Uri FrontendUrl { get; }
    public Uri OtlpGrpcUrl { get; }
    public string ApiKey { get; }

    /// <summary>The dashboard executable the AppHost itself launches: Aspire's build writes its path into the AppHost assembly.</summary>
    public static string ExecutablePath { get; } = typeof(Projects.OrdersAspire_AppHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "aspiredashboardpath").Value!;

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
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                Assert.Fail($"The Aspire dashboard exited ({process.ExitCode}):\n{Output}");
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

    public string Output => string.Join('\n', output);

    public async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(timeout.Token);
        process.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 200 && output.TryDequeue(out _))
        {
        }
    }
}
