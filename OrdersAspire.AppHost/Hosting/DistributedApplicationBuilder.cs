using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrdersAspire.AppHost.Hosting.ApplicationModel;
using OrdersAspire.AppHost.Hosting.Orchestration;
using OrdersAspire.AppHost.Hosting.ResourceService;

namespace OrdersAspire.AppHost.Hosting;

/// <summary>Collects the app model (Aspire's builder shape) and turns it into a runnable <see cref="DistributedApplication"/>.</summary>
public sealed class DistributedApplicationBuilder
{
    public const string DashboardResourceName = "dashboard";

    private readonly WebApplicationBuilder host;
    private readonly List<ProcessResource> resources = [];

    internal DistributedApplicationBuilder(string[] args)
    {
        host = WebApplication.CreateBuilder(new WebApplicationOptions { Args = AppHostOptions.NormalizeFlags(args) });
        Options = AppHostOptions.From(host.Configuration);
    }

    public IConfiguration Configuration => host.Configuration;

    public AppHostOptions Options { get; }

    public IResourceBuilder<ProjectResource> AddProject<TProject>(string name) where TProject : IProjectMetadata, new() =>
        AddResource(new ProjectResource(name, new TProject()));

    /// <summary>A SQLite database file in the AppHost's data folder (kept across runs), referenced as ConnectionStrings__{name}.</summary>
    public IResourceBuilder<ConnectionStringResource> AddSqlite(string name)
    {
        Directory.CreateDirectory(Options.DataDirectory);
        var file = Path.Combine(Options.DataDirectory, $"{name}.db");
        return new ResourceBuilder<ConnectionStringResource>(new ConnectionStringResource(name, $"Data Source={file}"), this);
    }

    public DistributedApplication Build()
    {
        if (Options.DashboardEnabled)
        {
            resources.Insert(0, DashboardResource());
        }

        host.Services.Configure<HostOptions>(o => o.ShutdownTimeout = Options.StopTimeout * (resources.Count + 1));
        host.Services.AddSingleton(Options);
        host.Services.AddSingleton(TimeProvider.System);
        host.Services.AddSingleton<ProcessLauncher>();
        host.Services.AddSingleton<ResourceNotifications>();
        host.Services.AddSingleton(CreateReplicas);
        host.Services.AddSingleton<ResourceOrchestrator>();
        host.Services.AddHostedService(sp => sp.GetRequiredService<ResourceOrchestrator>());
        host.Services.AddGrpc();

        // The resource service is the only thing the AppHost itself serves: h2c on its own loopback port.
        host.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, Options.ResourceServiceUrl.ToString());
        host.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        host.Logging.ClearProviders().AddSimpleConsole(console => console.SingleLine = true);
        host.Logging.AddFilter("Microsoft", LogLevel.Warning);
        host.Logging.AddFilter("Grpc", LogLevel.Warning);

        var app = host.Build();
        app.MapGrpcService<AppHostResourceService>();
        return new DistributedApplication(app);
    }

    internal IResourceBuilder<T> AddResource<T>(T resource) where T : ProcessResource
    {
        resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    private ProjectResource DashboardResource()
    {
        var dashboard = new ProjectResource(DashboardResourceName, new Projects.OrdersAspire_GrpcInsights()) { ExportsTelemetry = false };
        dashboard.Environment["ASPNETCORE_URLS"] = Options.DashboardUrls;
        dashboard.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = Options.DashboardOtlpGrpcUrl;
        dashboard.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = Options.DashboardOtlpHttpUrl;
        dashboard.Environment["DOTNET_RESOURCE_SERVICE_ENDPOINT_URL"] = Options.ResourceServiceUrl.ToString().TrimEnd('/');
        // Every OTLP export is a request; logging each would drown the services' output in the AppHost console.
        dashboard.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        if (Options.OtlpApiKey is { } key)
        {
            dashboard.Environment["DASHBOARD__OTLP__PRIMARYAPIKEY"] = key;
        }

        if (Options.BrowserToken is { } token)
        {
            dashboard.Environment["DASHBOARD__FRONTEND__BROWSERTOKEN"] = token;
        }

        return dashboard;
    }

    // Ports and replica ids are fixed once, so references stay valid across restarts of a replica.
    private IReadOnlyList<ResourceReplica> CreateReplicas(IServiceProvider services)
    {
        var launcher = services.GetRequiredService<ProcessLauncher>();
        var replicas = resources.SelectMany(resource => Enumerable.Range(0, resource.Replicas).Select(_ =>
        {
            var (endpoint, runner) = resource switch
            {
                ProjectResource project => ProjectReplica(project),
                PostgresServerResource postgres => (postgres.Endpoint, new PostgresRunner(postgres, Options.PostgresBinDirectory, launcher)),
                _ => throw new NotSupportedException($"{resource.GetType().Name} cannot be run."),
            };
            return new ResourceReplica(resource, $"{resource.Name}-{ReplicaSuffix()}", endpoint, runner,
                services.GetRequiredService<ResourceNotifications>(),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<ResourceReplica>>());
        })).ToList();

        var projectReplicas = replicas.Where(r => r.Resource is ProjectResource).ToList();
        var endpoints = projectReplicas.GroupBy(r => (ProjectResource)r.Resource)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Uri>)[.. g.Where(r => r.Endpoint is not null).Select(r => r.Endpoint!)]);
        foreach (var replica in projectReplicas)
        {
            replica.Configure(EnvironmentContract.For(replica, endpoints, Options, host.Environment.IsDevelopment()));
        }

        return replicas;

        (Uri?, IReplicaRunner) ProjectReplica(ProjectResource project)
        {
            var endpoint = project.HasHttpEndpoint ? new Uri($"http://127.0.0.1:{FreePort.Next()}") : null;
            return (endpoint, new ProjectRunner(project, endpoint, launcher));
        }
    }

    // Aspire names replicas <resource>-<random suffix>; the suffix doubles as a readable service.instance.id.
    private static string ReplicaSuffix() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
}
