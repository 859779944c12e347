using Microsoft.Extensions.Configuration;
using OrdersAspire.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var orders = builder.AddSqlite("orders");

var api = builder.AddProject<Projects.Orders_Api>("orders-api")
    .WithHttpHealthCheck("/health")
    .WithReplicas(builder.Configuration.GetValue("replicas", 1))
    .WithReference(orders)
    .WithEnvironment("Orders__SeedSampleData", "true")
    .WithEnvironment("Orders__FaultInjection__Enabled", "true");

builder.AddProject<Projects.Orders_Client>("orders-client")
    .WithReference(api)
    .WaitFor(api)
    .WithArgs("scenario", "--loop", builder.Configuration["loop-interval"] ?? "5s");

builder.Build().Run();
