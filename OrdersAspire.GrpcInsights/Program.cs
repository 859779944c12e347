using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Hosting;

if (HealthCheckCommand.IsRequested(args)) return await HealthCheckCommand.RunAsync(InsightsEndpoints.FrontendHealthCheckTarget);

// UI on ASPNETCORE_URLS (default http://127.0.0.1:18888), OTLP/gRPC on ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL (18889),
// OTLP/HTTP on ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL (18890).
return await StartFailures.RunAsync(
    "OrdersAspire.GrpcInsights",
    "--urls http://127.0.0.1:PORT (UI), ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL and ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL (OTLP)",
    () => InsightsApplication.Build(args, builder => builder.ReportStartFailures()));
