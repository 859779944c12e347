using System.Reflection;
using Ecommerce;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orders.Api.Interceptors;
using Orders.Api.Options;
using Orders.Api.Requests;
using Orders.Api.Services;
using Orders.Api.Storage;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registrations and endpoints of Orders.Api, so Program.cs stays a table of contents.</summary>
public static class OrdersApiExtensions
{
    /// <summary>Where the service listens when no URL is configured: the port existing grpcio clients expect.</summary>
    public const string DefaultUrl = "http://127.0.0.1:50051";

    /// <summary>
    /// The grpc.health.v1 service a liveness probe asks for: the process only (checks tagged "live"), so a store outage
    /// never gets a running pod restarted. Service "" (readiness) reports every check, the store included.
    /// </summary>
    public const string LivenessHealthService = "liveness";

    /// <summary>The listening port (one of the configured URLs' ports) that serves HTTP/1.1 instead of the endpoints' protocols.</summary>
    public const string Http1PortKey = "Orders:Http1Port";

    /// <summary>Kestrel's connection, request and HTTP/2 limits (<see cref="KestrelServerLimits"/>), standard names and defaults.</summary>
    private const string LimitsSectionName = "Kestrel:Limits";

    /// <summary>Kestrel:Limits:MaxRequestHeadersTotalSize here (Kestrel's own default: 32 KiB), above Orders:Metadata:MaxTotalBytes.</summary>
    public const int MaxRequestHeadersTotalSize = 128 * 1024;

    /// <summary>Kestrel:Limits:MaxRequestHeaderCount here (Kestrel's own default: 100), above Orders:Metadata:MaxEntries.</summary>
    public const int MaxRequestHeaderCount = 2000;

    /// <summary>Kestrel:Limits:Http2:MaxRequestHeaderFieldSize here (Kestrel's own default: 16 KiB): one field up to the total.</summary>
    public const int MaxRequestHeaderFieldSize = 128 * 1024;

    public static WebApplicationBuilder AddOrdersApi(this WebApplicationBuilder builder)
    {
        builder.UseDefaultUrlWhenNoneConfigured();
        builder.UseHttp2WithoutTlsByDefault();
        builder.UseKestrelLimitsFromConfiguration();

        builder.Services.AddOptions<OrdersOptions>()
            .Bind(builder.Configuration.GetSection(OrdersOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OrdersOptions>, OrdersOptionsValidator>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OrderStoreAvailability>();
        builder.Services.AddSingleton(OrderStoreFactory.Create);
        builder.Services.AddHostedService<OrderStoreInitializer>();
        builder.Services.AddSingleton<OrderValidator>();

        builder.Services.AddSingleton<ServerCallMetrics>();
        builder.Services.AddSingleton<ServerCallTrackingInterceptor>();
        builder.Services.AddSingleton<FaultInjectionInterceptor>();
        builder.Services.AddGrpc(options =>
        {
            // Outermost first: telemetry sees the injected delay and every failure, already mapped to a status; a
            // refused call (CallRefusal) ends there, before the delay and the handler.
            options.Interceptors.Add<ServerCallTrackingInterceptor>();
            options.Interceptors.Add<FaultInjectionInterceptor>();
        });
        builder.AddOrdersAuthentication();
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(options =>
                options.Services.Map(LivenessHealthService, check => check.Tags.Contains(HealthEndpoints.LiveTag)))
            .AddCheck<OrderStoreHealthCheck>("orders-store");

        return builder;
    }

    public static WebApplication MapOrdersApi(this WebApplication app)
    {
        FaultInjectionInterceptor.LogSetting(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<FaultInjectionInterceptor>(),
            app.Services.GetRequiredService<IOptions<OrdersOptions>>().Value);
        // Before authentication: a call over the metadata limits is refused as such, whatever its token.
        app.UseRequestMetadataLimits();
        app.UseOrdersAuthentication();
        // Requests that cannot be read reach the interceptor as INVALID_ARGUMENT / RESOURCE_EXHAUSTED (docs/contract.md).
        app.MapGrpcService<OrderManagementService>()
            .CheckRequestFrames(OrderManagement.Descriptor)
            .WithOrdersAuthorization(app.Configuration);
        // Health and reflection stay anonymous: probes and tools carry no token.
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>Where the <c>healthcheck</c> command finds this service's /health: its address and protocols as configured.</summary>
    public static HealthCheckTarget OwnHealthCheckTarget(IConfiguration configuration) =>
        HealthCheckTarget.FromKestrelConfiguration(configuration, DefaultUrl, EndpointProtocols(configuration));

    private static void UseHttp2WithoutTlsByDefault(this WebApplicationBuilder builder)
    {
        // Kestrel's EndpointDefaults config reaches only Kestrel:Endpoints, not --urls/ASPNETCORE_URLS; applying it here
        // makes every endpoint h2c (gRPC over plain HTTP cannot negotiate HTTP/2 without TLS).
        var protocols = EndpointProtocols(builder.Configuration);
        // A browser speaks HTTP/1.1 to a plain http:// URL: the one port named here serves it, e.g. for GET /health.
        var http1Port = builder.Configuration.GetValue<int?>(Http1PortKey);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
            endpoint.Protocols = http1Port is not null && endpoint.IPEndPoint?.Port == http1Port ? HttpProtocols.Http1 : protocols));
    }

    private static HttpProtocols EndpointProtocols(IConfiguration configuration) =>
        configuration.GetValue("Kestrel:EndpointDefaults:Protocols", HttpProtocols.Http2);

    private static void UseKestrelLimitsFromConfiguration(this WebApplicationBuilder builder)
    {
        // The "Kestrel" section's loader reads endpoints and certificates only; Kestrel:Limits (e.g. Http2:MaxStreamsPerConnection) is bound here.
        var limits = builder.Configuration.GetSection(LimitsSectionName);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Past Kestrel's header limits the whole connection closes with no status for the call; above the service's
            // own limits, a call past those is answered RESOURCE_EXHAUSTED instead (docs/configuration.md, Request metadata limits).
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
            kestrel.Limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = MaxRequestHeaderFieldSize;
            try
            {
                limits.Bind(kestrel.Limits);
            }
            catch (Exception ex) when (ex is TargetInvocationException or InvalidOperationException)
            {
                // Kestrel's setters reject bad values without naming the setting; the operator needs to know where to look.
                throw new InvalidOperationException($"{LimitsSectionName}: {ex.GetBaseException().Message}", ex);
            }
        });
    }

    private static void UseDefaultUrlWhenNoneConfigured(this WebApplicationBuilder builder)
    {
        if (!HasConfiguredUrls(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }

    /// <summary>True when an address comes the standard ASP.NET Core way: --urls / ASPNETCORE_URLS, *_PORTS, or Kestrel:Endpoints.</summary>
    public static bool HasConfiguredUrls(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["urls"])
        || !string.IsNullOrEmpty(configuration["http_ports"])
        || !string.IsNullOrEmpty(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
