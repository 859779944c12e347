using OrdersAspire.AppHost;
using OrdersAspire.AppHost.Authentication;
using OrdersAspire.AppHost.Commands;
using OrdersAspire.AppHost.GrpcInsights;
using OrdersAspire.AppHost.Health;
using OrdersAspire.AppHost.Postgres;
using OrdersAspire.AppHost.Replicas;
using OrdersAspire.AppHost.Shutdown;
using OrdersAspire.AppHost.Sqlite;
using OrdersAspire.Shared;

// --help, and an argument that is no setting, are answered before Aspire reads the command line.
if (AppHostCommandLine.Check(args) is { } exitCode)
{
    return exitCode;
}

var builder = DistributedApplication.CreateBuilder(args);

// Every setting is checked before anything starts: a bad value is one line and exit code 2, never a stack trace.
if (AppHostSettings.Read(builder.Configuration, builder.ExecutionContext) is not { } settings)
{
    return ExitCodes.Usage;
}

// The order store: a SQLite file in the data folder (default), or PostgreSQL run from this machine's binaries.
// With a container runtime, builder.AddPostgres("postgres").AddDatabase("orders") is the one-line switch.
IResourceBuilder<IResourceWithConnectionString> orders = settings.Store switch
{
    OrderStoreKind.Postgres => builder.AddLocalPostgres("postgres", settings.DataDirectory, settings.PostgresBinDirectory!).AddDatabase("orders"),
    _ => builder.AddSqliteFile("orders", settings.DataDirectory),
};

// Every endpoint is plain HTTP on loopback (h2c for gRPC), so no project needs the development certificate.
// The "apphost" launch profile names no address: DCP picks a free port (a standalone Orders.Api keeps 50051), and the
// manifest lists only the h2c endpoint that runs (a profile's applicationUrl would add an https binding).
var api = builder.AddProject<Projects.Orders_Api>("orders-api", launchProfileName: "apphost")
    .WithHttpEndpoint(name: "http")
    .WithoutHttpsCertificate()
    .AsHttp2Service()
    .WithReplicas(settings.Replicas)
    .WithH2cHealthCheck("/health")
    .WithHealthPage("/health")
    .WithReference(orders)
    .WaitFor(orders)
    .WithEnvironment("Orders__SeedSampleData", "true")
    .WithEnvironment("Orders__FaultInjection__Enabled", "true")
    // Request messages in the spans, so the insights can repeat any call: a development loop's data, not production's.
    .WithEnvironment("Orders__Telemetry__CaptureMessages", "true");

var client = builder.AddProject<Projects.Orders_Client>("orders-client")
    .WithoutHttpsCertificate()
    .WithReference(api)
    // Each replica's own address, so its calls go round robin over the replicas rather than all through one connection.
    .WithEveryReplicaAddressOf(api)
    .WaitFor(api)
    .WithArgs("scenario", "--loop", settings.LoopInterval)
    // Dashboard commands that run one call with a chosen outcome: a 1 ms deadline, a cancelled stream, an unknown order.
    .WithCallCommands(api);

// Bearer tokens checked by orders-api, signed with a key made for this run; the client gets a token with both scopes.
if (settings.Authentication)
{
    builder.AddDevelopmentAuthentication(api, client);
}

builder.AddGrpcInsights("grpc-insights")
    .WithoutHttpsCertificate();

builder.WithShortOtlpExportTimeout();
builder.Build().Run();
return 0;
