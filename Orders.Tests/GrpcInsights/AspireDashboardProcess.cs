using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The real Aspire dashboard (the harness's <see cref="AspireDashboard"/>) on loopback, restartable on the same addresses:
/// UI and telemetry API on one port, OTLP/gRPC on another, the API behind an API key, as an Aspire AppHost would run it.
/// </summary>
public sealed class AspireDashboardProcess : IAsyncDisposable
{
    private ServerProcess? process;

    private AspireDashboardProcess(Uri frontendUrl, Uri otlpGrpcUrl, string apiKey)
    {
        FrontendUrl = frontendUrl;
        OtlpGrpcUrl = otlpGrpcUrl;
        ApiKey = apiKey;
    }

    public Uri FrontendUrl { get; }
    public Uri OtlpGrpcUrl { get; }
    public string ApiKey { get; }

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
        process = await AspireDashboard.StartAsync(ApiKey, FrontendUrl, OtlpGrpcUrl);
    }

    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
            process = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
