using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrdersAspire.GrpcInsights.Hosting;
using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.TestHarness;

namespace OrdersAspire.GrpcInsights.Benchmarks;

/// <summary>The insights started in this process on free loopback ports, quiet, with their store at hand.</summary>
internal sealed class BenchmarkInsights : IAsyncDisposable
{
    private readonly WebApplication app;

    private BenchmarkInsights(WebApplication app, Uri frontend, Uri otlpGrpc, Uri otlpHttp)
    {
        this.app = app;
        FrontendUrl = frontend;
        OtlpGrpcUrl = otlpGrpc;
        OtlpHttpUrl = otlpHttp;
    }

    public Uri FrontendUrl { get; }
    public Uri OtlpGrpcUrl { get; }
    public Uri OtlpHttpUrl { get; }
    public TelemetryStore Store => app.Services.GetRequiredService<TelemetryStore>();
    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public static async Task<BenchmarkInsights> StartAsync()
    {
        var frontend = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var otlpGrpc = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var otlpHttp = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var app = InsightsApplication.Build(
            [$"--urls={frontend}", $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={otlpGrpc}", $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL={otlpHttp}"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        return new BenchmarkInsights(app, frontend, otlpGrpc, otlpHttp);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
