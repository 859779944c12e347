if (HealthCheckCommand.IsRequested(args)) return await HealthCheckCommand.RunAsync(OrdersApiExtensions.OwnHealthCheckTarget);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrdersApi();
builder.ReportAddressInUse();

var app = builder.Build();
app.MapOrdersApi();
app.MapDefaultEndpoints();
return await AddressInUse.RunAsync(app, "Orders.Api", "--urls http://127.0.0.1:PORT");

// Lets WebApplicationFactory<Program> find the entry point from the tests.
public partial class Program;
