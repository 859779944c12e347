using BareOrders.Server;

// The baseline of the benchmark harness (benchmarks/run.sh): the same contract on plain grpc-dotnet, no store, no interceptor, no telemetry.
// h2c only (appsettings.json); bind it with --urls http://127.0.0.1:<port>.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGrpc();
// One instance for the server's life: grpc-dotnet would otherwise make one, and a fresh dictionary, per call.
builder.Services.AddSingleton<BareOrderManagement>();

var app = builder.Build();
app.MapGrpcService<BareOrderManagement>();
// Readiness probe for the benchmark harness.
app.MapGet("/health", () => "ok");
app.Run();
