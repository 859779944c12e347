using BareOrders.Server;

// The baseline of the benchmark harness (benchmarks/run.sh): the same contract on plain grpc-dotnet, no store, no interceptor, no telemetry.
// h2c only (appsettings.json); bind it with --urls http://127.0.0.1:<port>. With --template-defaults it is the template peer:
// the same service plus the Aspire starter template's service defaults (TemplateServiceDefaults).
var templateDefaults = args.Contains(TemplateServiceDefaults.Switch);
// A bare switch would take the next argument as its value in ASP.NET Core's command-line configuration.
var builder = WebApplication.CreateBuilder([.. args.Where(arg => arg != TemplateServiceDefaults.Switch)]);
if (templateDefaults)
{
    builder.AddTemplateServiceDefaults();
}

builder.Services.AddGrpc();
// One instance for the server's life: grpc-dotnet would otherwise make one, and a fresh dictionary, per call.
builder.Services.AddSingleton<BareOrderManagement>();

var app = builder.Build();
app.MapGrpcService<BareOrderManagement>();
if (templateDefaults)
{
    app.MapTemplateHealthEndpoints();
}
else
{
    // Readiness probe for the benchmark harness.
    app.MapGet("/health", () => "ok");
}

app.Run();
