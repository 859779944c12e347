if (HealthCheckCommand.IsRequested(args)) return await HealthCheckCommand.RunAsync(OrdersApiExtensions.OwnHealthCheckTarget);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrdersApi();

var app = builder.Build();
app.MapOrdersApi();
app.MapDefaultEndpoints();
app.Run();
return 0;

// Lets WebApplicationFactory<Program> find the entry point from the tests.
public partial class Program;
