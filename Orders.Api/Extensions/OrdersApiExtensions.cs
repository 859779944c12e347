using System.Reflection;
using System.Text.RegularExpressions;
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
public static partial class OrdersApiExtensions
{
    /// <summary>Where the service listens when no URL is configured: the port existing grpcio clients expect.</summary>
    public const string DefaultUrl = "http://127.0.0.1:50051";

    /// <summary>
    /// The grpc.health.v1 service a liveness probe asks for: the process only (checks tagged "live"), so a store outage
    /// never gets a running pod restarted. Service "" (readiness) reports every check, the store included.
    /// </summary>
    public const string LivenessHealthService = "liveness";

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
        var options = builder.AddValidatedOptions<OrdersOptions, OrdersOptionsValidator>(OrdersOptions.SectionName);
        builder.UseDefaultUrlWhenNoneConfigured();
        builder.UseHttp2WithoutTlsByDefault(options.Http1Port);
        builder.UseKestrelLimitsFromConfiguration();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OrderStoreAvailability>();
        builder.Services.AddSingleton(OrderStoreFactory.Create);
        builder.Services.AddHostedService<OrderStoreInitializer>();
        builder.Services.AddSingleton<OrderValidator>();

        // Registered, its dependencies all singletons: one instance serves every call instead of one built per call.
        builder.Services.AddSingleton<OrderManagementService>();
        builder.Services.AddSingleton<ServerCallMetrics>();
        builder.Services.AddSingleton<ServerCallTrackingInterceptor>();
        builder.Services.AddSingleton<FaultInjectionInterceptor>();
        builder.Services.AddGrpc(grpc =>
        {
            // Outermost first: telemetry sees the injected delay and every failure, already mapped to a status; a
            // refused call (CallRefusal) ends there, before the delay and the handler.
            grpc.Interceptors.Add<ServerCallTrackingInterceptor>();
            FaultInjection.AddInterceptor(grpc.Interceptors, options.FaultInjection);
        });
        builder.AddOrdersAuthentication(options.Authentication);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(options =>
                options.Services.Map(LivenessHealthService, check => check.Tags.Contains(HealthEndpoints.LiveTag)))
            .AddCheck<OrderStoreHealthCheck>("orders-store");

        return builder;
    }

    public static WebApplication MapOrdersApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<OrdersOptions>>().Value;
        // Before authentication: a call over the metadata limits is refused as such, whatever its token.
        app.UseRequestMetadataLimits();
        var authentication = options.Authentication;
        app.UseOrdersAuthentication(authentication);
        app.UseFaultInjection(options.FaultInjection);
        // Requests that cannot be read reach the interceptor as INVALID_ARGUMENT / RESOURCE_EXHAUSTED (docs/contract.md).
        app.MapGrpcService<OrderManagementService>()
            .CheckRequestFrames(OrderManagement.Descriptor)
            .WithOrdersAuthorization(authentication);
        // Health and reflection stay anonymous: probes and tools carry no token.
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>Where the <c>healthcheck</c> command finds this service's /health: its address and protocols as configured.</summary>
    public static HealthCheckTarget OwnHealthCheckTarget(IConfiguration configuration) =>
        HealthCheckTarget.FromKestrelConfiguration(configuration, DefaultUrl, EndpointProtocols(configuration));

    /// <param name="http1Port">A browser speaks HTTP/1.1 to a plain http:// URL: the one port named here serves it, e.g. for GET /health.</param>
    private static void UseHttp2WithoutTlsByDefault(this WebApplicationBuilder builder, int? http1Port)
    {
        // Kestrel's EndpointDefaults config reaches only Kestrel:Endpoints, not --urls/ASPNETCORE_URLS; applying it here
        // makes every endpoint h2c (gRPC over plain HTTP cannot negotiate HTTP/2 without TLS).
        var protocols = EndpointProtocols(builder.Configuration);
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
            catch (Exception ex) when (ex is TargetInvocationException or InvalidOperationException && BadSettings.Describe(ex) is [])
            {
                // Kestrel's setters reject bad values without naming the setting; the operator needs to know which one.
                throw new BadSettingException(RefusedLimit(limits, ex.GetBaseException()), ex);
            }
        });
    }

    /// <summary>"Kestrel:Limits:Http2:MaxStreamsPerConnection: A value greater than zero is required.": each value bound alone finds the one refused.</summary>
    private static string RefusedLimit(IConfigurationSection limits, Exception refusal)
    {
        var key = limits.AsEnumerable().Where(setting => setting.Value is not null).FirstOrDefault(setting =>
        {
            try
            {
                new ConfigurationBuilder().AddInMemoryCollection([setting]).Build().GetSection(LimitsSectionName).Bind(new KestrelServerLimits());
                return false;
            }
            catch (Exception ex) when (ex is TargetInvocationException or InvalidOperationException)
            {
                return true;
            }
        }).Key ?? LimitsSectionName;
        // ArgumentOutOfRangeException's message adds "(Parameter 'value')" and an "Actual value" line: the key says more.
        var reason = ParameterSuffix().Replace(refusal.Message.Split('\n')[0], "");
        return $"{key}: {reason}";
    }

    private static void UseDefaultUrlWhenNoneConfigured(this WebApplicationBuilder builder)
    {
        if (!KestrelAddresses.Read(builder.Configuration).AreConfigured)
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }

    [GeneratedRegex(@"\s*\(Parameter '\w+'\)\s*$")]
    private static partial Regex ParameterSuffix();
}
