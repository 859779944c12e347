using BareOrders.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrdersAspire.TestHarness;

namespace AllocationProfile;

/// <summary>
/// One server configuration of profile.sh, hosted in this process on real Kestrel (h2c, a free loopback port), with its
/// own build output's appsettings.json, as that build would run in production.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string? dataDirectory;

    private InProcessServer(string name, WebApplication app, Uri address, string? dataDirectory)
    {
        Name = name;
        this.app = app;
        Address = address;
        this.dataDirectory = dataDirectory;
    }

    public string Name { get; }

    public Uri Address { get; }

    /// <summary>The bare contract server: grpc-dotnet on a dictionary, no telemetry.</summary>
    public static Task<InProcessServer> StartBareAsync()
    {
        var (builder, address) = CreateBuilder("benchmarks/BareOrders.Server", applicationName: null, []);
        // As BareOrders.Server's Program.cs composes it.
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<BareOrderManagement>();
        var app = builder.Build();
        app.MapGrpcService<BareOrderManagement>();
        return StartAsync("bare", app, address, dataDirectory: null);
    }

    /// <summary>
    /// Orders.Api on a seeded SQLite file. <paramref name="telemetry"/> false is profile.sh's api-off (OTEL_SDK_DISABLED,
    /// Warning logs); true is as shipped: the service defaults' tracer and meter providers record every span and metric,
    /// with nothing to export them to.
    /// </summary>
    public static Task<InProcessServer> StartOrdersApiAsync(bool telemetry)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("orders-allocations-").FullName;
        string[] settings =
        [
            $"--ConnectionStrings:orders=Data Source={Path.Combine(dataDirectory, "orders.db")}",
            "--Orders:SeedSampleData=true",
            // Nothing exported, whatever the shell that runs this has set.
            "--OTEL_EXPORTER_OTLP_ENDPOINT=",
            .. telemetry ? Array.Empty<string>() : ["--OTEL_SDK_DISABLED=true", "--Logging:LogLevel:Default=Warning"],
        ];
        var (builder, address) = CreateBuilder("Orders.Api", applicationName: "Orders.Api", settings);
        // As Orders.Api's Program.cs composes it.
        builder.AddServiceDefaults();
        builder.AddOrdersApi();
        var app = builder.Build();
        app.MapOrdersApi();
        app.MapDefaultEndpoints();
        return StartAsync(telemetry ? "api-shipped" : "api-off", app, address, dataDirectory);
    }

    /// <param name="applicationName">The app's own name where it is an assembly of this process (the service defaults trace it as a source).</param>
    private static (WebApplicationBuilder Builder, Uri Address) CreateBuilder(string project, string? applicationName, string[] settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--urls={address}", .. settings],
            ApplicationName = applicationName,
            ContentRootPath = Path.GetDirectoryName(RepositoryPaths.ProjectOutput(project)),
            EnvironmentName = Environments.Production,
        });
        return (builder, address);
    }

    private static async Task<InProcessServer> StartAsync(string name, WebApplication app, Uri address, string? dataDirectory)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        return new InProcessServer(name, app, address, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
            if (dataDirectory is not null)
            {
                // Pooled connections keep the file open.
                SqliteConnection.ClearAllPools();
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
