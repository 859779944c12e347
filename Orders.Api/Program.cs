var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrdersApi();

var app = builder.Build();
app.MapOrdersApi();
app.MapDefaultEndpoints();
app.Run();

// Lets WebApplicationFactory<Program> find the entry point from the tests.
public partial class Program;
