var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

// Lets WebApplicationFactory<Program> find the entry point from the tests.
public partial class Program;
