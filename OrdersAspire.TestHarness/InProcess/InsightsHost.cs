using OrdersAspire.GrpcInsights.Hosting;
using OrdersAspire.GrpcInsights.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrdersAspire.TestHarness;

/// <summary>
/// The real insights in this process, on real Kestrel, their three endpoints on free loopback ports, quiet, with their
/// store at hand. Compiled into the projects that reference the insights (the tests, the insights' benchmarks).
/// </summary>
public sealed class InsightsHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private InsightsHost(WebApplication app, Uri frontend, Uri otlpGrpc, Uri otlpHttp)
    {
        this.app = app;
        FrontendUrl = frontend;
        OtlpGrpcUrl = otlpGrpc;
        OtlpHttpUrl = otlpHttp;
        Http = new HttpClient { BaseAddress = frontend, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri FrontendUrl { get; }
    public Uri OtlpGrpcUrl { get; }
    public Uri OtlpHttpUrl { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => app.Services;
    public TelemetryStore Store => app.Services.GetRequiredService<TelemetryStore>();

    /// <summary>Starts the insights; extra settings are "key=value" pairs (e.g. "Insights:Otlp:PrimaryApiKey=secret").</summary>
    public static async Task<InsightsHost> StartAsync(params string[] settings)
    {
        var frontend = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var otlpGrpc = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var otlpHttp = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        string[] args =
        [
            // Their own build output holds their appsettings.json: the folder of whoever hosts them may hold another app's.
            $"--contentRoot={Path.GetDirectoryName(RepositoryPaths.ProjectOutput("OrdersAspire.GrpcInsights"))}",
            $"--urls={frontend}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={otlpGrpc}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL={otlpHttp}",
            .. settings.Select(setting => "--" + setting),
        ];
        var app = InsightsApplication.Build(args, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        return new InsightsHost(app, frontend, otlpGrpc, otlpHttp);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
