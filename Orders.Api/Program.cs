if (HealthCheckCommand.IsRequested(args)) return await HealthCheckCommand.RunAsync(OrdersApiExtensions.OwnHealthCheckTarget);

return await StartFailures.RunAsync("Orders.Api", "--urls http://127.0.0.1:PORT", () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddOrdersApi();
    builder.ReportStartFailures();

    var app = builder.Build();
    app.MapOrdersApi();
    app.MapDefaultEndpoints();
    return app;
});
