using System.Text.Json.Serialization;
using Microsoft.AspNetCore.HostFiltering;
using OrdersAspire.GrpcInsights.Api;
using OrdersAspire.GrpcInsights.Components;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Follow;
using OrdersAspire.GrpcInsights.Otlp;
using OrdersAspire.GrpcInsights.Security;
using OrdersAspire.GrpcInsights.Store;

namespace OrdersAspire.GrpcInsights.Hosting;

/// <summary>Builds the insights: three endpoints (UI, OTLP/gRPC, OTLP/HTTP) over one telemetry store.</summary>
public static class InsightsApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(InsightsApplication).Assembly.GetName().Name,
        });
        // Per-request framework logs would drown the start banner in the AppHost's console; lifetime messages stay.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        configure?.Invoke(builder);

        RefuseAspireDashboardSettings(builder.Configuration);
        // Read once and checked here: what the insights serve (ports, limits, security) is decided while they are built.
        var options = builder.AddValidatedOptions<InsightsOptions, InsightsOptionsValidator>(InsightsOptions.SectionName);
        var aspire = options.AspireDashboard;
        var endpoints = InsightsEndpoints.FromConfiguration(builder.Configuration, receivesOtlp: !aspire.Follow);
        var security = new InsightsSecurity(options, endpoints, builder.Configuration.GetValue<bool>(InsightsSecurity.AllowAnonymousKey));

        // Serve wwwroot and the framework's blazor.web.js from the build output too (as the AppHost runs it), not only in Development.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(kestrel => KestrelEndpointSetup.ConfigureEndpoints(kestrel, endpoints));

        // The web host's defaults already run host filtering first in the pipeline; this decides which names pass.
        builder.Services.Configure<HostFilteringOptions>(filtering => filtering.AllowedHosts = AllowedHostNames.For(builder.Configuration, endpoints));
        builder.AddDefaultHealthChecks();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton(security);
        builder.Services.AddSingleton(new BrowserSessions(TimeProvider.System));
        builder.Services.AddSingleton(options.TelemetryLimits);
        builder.Services.AddSingleton(options.Reproduce);
        builder.Services.AddSingleton(aspire);
        builder.Services.AddSingleton<TelemetryStore>();
        builder.Services.AddSingleton(services => services.GetRequiredService<TelemetryStore>().Drops);
        builder.Services.AddSingleton<OtlpConverter>();
        builder.Services.AddSingleton<OtlpIngestor>();
        builder.Services.AddSingleton(_ => new OtlpExportAdmission(options.Otlp));
        builder.Services.AddHostedService<StartupBanner>();
        if (aspire.Follow)
        {
            builder.Services.AddHostedService<AspireSpanFollower>();
        }

        builder.Services.AddOtlpGrpc(options.Otlp.MaxRequestBodySize);
        builder.Services.AddOtlpHttpCors(options.Otlp.Cors);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        var app = builder.Build();
        KestrelEndpointSetup.UseAddresses(app, endpoints);
        app.UseRouting();
        // CORS first: a browser's preflight carries no API key, and a refused export must still be readable by the page.
        app.UseCors();
        app.UseMiddleware<OtlpApiKeyMiddleware>();
        app.UseMiddleware<EndpointKindGuardMiddleware>();
        app.UseMiddleware<BrowserTokenMiddleware>();
        // Before any export body is read: the bodies waiting to be parsed are what the admission bounds.
        app.UseMiddleware<OtlpExportAdmissionMiddleware>();
        app.UseMiddleware<OtlpGrpcFrameMiddleware>();
        app.UseAntiforgery();

        var otlpGrpc = new EndpointKindMetadata(EndpointKind.OtlpGrpc);
        app.MapGrpcService<OtlpTraceService>().WithMetadata(otlpGrpc);
        app.MapGrpcService<OtlpLogsService>().WithMetadata(otlpGrpc);
        app.MapGrpcService<OtlpMetricsService>().WithMetadata(otlpGrpc);
        app.MapOtlpHttp(options.Otlp.Cors);
        app.MapTelemetryApi();
        BrowserTokenMiddleware.MapLoginAndLogout(app);
        app.MapDefaultEndpoints();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// The insights once read the Aspire dashboard's section, <c>Dashboard:*</c>; a setting still written there (a browser
    /// token, an API key) would be ignored without a word, so it stops the start, naming its new key.
    /// </summary>
    private static void RefuseAspireDashboardSettings(ConfigurationManager configuration)
    {
        const string AspireDashboardSection = "Dashboard";
        if (configuration.GetSection(AspireDashboardSection).AsEnumerable().FirstOrDefault(setting => setting.Value is not null) is { Key: { } key })
        {
            throw new BadSettingException(
                $"{key} is not read: the insights' settings are {InsightsOptions.SectionName}:*, and {AspireDashboardSection}:* is the Aspire dashboard's; rename it {InsightsOptions.SectionName}{key[AspireDashboardSection.Length..]}.");
        }
    }
}
