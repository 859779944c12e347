using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Security;

namespace OrdersAspire.GrpcInsights.Hosting;

/// <summary>Prints where the insights listen once Kestrel is up — with the login URL when the UI is secured, as Aspire does.</summary>
internal sealed partial class StartupBanner(
    IHostApplicationLifetime lifetime, InsightsEndpoints endpoints, InsightsSecurity security, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                return;
            }

            foreach (var frontend in endpoints.Frontend)
            {
                var url = security.FrontendAuthMode == FrontendAuthMode.BrowserToken
                    ? new Uri(frontend.Url, $"/login?t={security.BrowserToken}").ToString()
                    : frontend.Url.ToString();
                LogFrontend(url);
            }

            if (endpoints.ReceivesOtlp)
            {
                LogOtlp(endpoints.OtlpGrpc.Url, endpoints.OtlpHttp.Url, security.OtlpAuthMode);
            }
            if (security.IsUnsecured)
            {
                LogUnsecured(security.FrontendAuthMode, security.OtlpAuthMode);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Login to the gRPC insights at {InsightsUrl}")]
    private partial void LogFrontend(string insightsUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTLP/gRPC listening on: {OtlpGrpcUrl}; OTLP/HTTP listening on: {OtlpHttpUrl} (auth: {OtlpAuthMode})")]
    private partial void LogOtlp(Uri otlpGrpcUrl, Uri otlpHttpUrl, OtlpAuthMode otlpAuthMode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The gRPC insights are unsecured (frontend: {FrontendAuthMode}, OTLP: {OtlpAuthMode}); keep them on loopback.")]
    private partial void LogUnsecured(FrontendAuthMode frontendAuthMode, OtlpAuthMode otlpAuthMode);
}
