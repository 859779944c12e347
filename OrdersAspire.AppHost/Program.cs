using Microsoft.Extensions.Configuration;
using OrdersAspire.AppHost.Hosting;
using OrdersAspire.AppHost.Hosting.ApplicationModel;

var builder = DistributedApplication.CreateBuilder(args);

// Declared before the API: resources start in declaration order and stop in reverse, so a server outlives its clients.
IResourceBuilder<IResourceWithConnectionString> orders = builder.Options.Store switch
{
    OrderStore.Postgres => builder.AddPostgres("postgres").AddDatabase("orders"),
    _ => builder.AddSqlite("orders"),
};

var api = builder.AddProject<Projects.Orders_Api>("orders-api")
    .WithHttpHealthCheck("/health")
    .WithReplicas(builder.Configuration.GetValue("replicas", 1))
    .WithReference(orders)
    .WaitFor(orders)
    .WithEnvironment("Orders__SeedSampleData", "true")
    .WithEnvironment("Orders__FaultInjection__Enabled", "true");

builder.AddProject<Projects.Orders_Client>("orders-client")
    .WithReference(api)
    .WaitFor(api)
    .WithArgs("scenario", "--loop", builder.Configuration["loop-interval"] ?? "5s");

builder.Build().Run();
