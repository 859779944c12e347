using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Hosting;

if (HealthCheckCommand.IsRequested(args)) return await HealthCheckCommand.RunAsync(DashboardEndpoints.FrontendHealthCheckTarget);

// UI on ASPNETCORE_URLS (default http://127.0.0.1:18888), OTLP/gRPC on ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL (18889),
// OTLP/HTTP on ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL (18890).
var app = DashboardApplication.Build(args);
app.Run();
return 0;

public partial class Program;
