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

    public static WebApplicationBuilder AddOrdersApi(this WebApplicationBuilder builder)
    {
        builder.UseDefaultUrlWhenNoneConfigured();
        builder.UseHttp2WithoutTlsByDefault();

        builder.Services.AddOptions<OrdersOptions>()
            .Bind(builder.Configuration.GetSection(OrdersOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OrdersOptions>, OrdersOptionsValidator>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(OrderStoreFactory.Create);
        builder.Services.AddHostedService<OrderStoreInitializer>();
        builder.Services.AddSingleton<OrderValidator>();

        builder.Services.AddSingleton<ServerCallMetrics>();
        builder.Services.AddSingleton<ServerCallTelemetryInterceptor>();
        builder.Services.AddSingleton<FaultInjectionInterceptor>();
        builder.Services.AddGrpc(options =>
        {
            // Outermost first: telemetry sees the injected delay and every failure, already mapped to a status.
            options.Interceptors.Add<ServerCallTelemetryInterceptor>();
            options.Interceptors.Add<FaultInjectionInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks()
            .AddCheck<OrderStoreHealthCheck>("orders-store");

        return builder;
    }

    public static WebApplication MapOrdersApi(this WebApplication app)
    {
        // Requests that cannot be read reach the interceptor as INVALID_ARGUMENT / RESOURCE_EXHAUSTED (docs/contract.md).
        app.MapGrpcService<OrderManagementService>().CheckRequestFrames(OrderManagement.Descriptor);
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    private static void UseHttp2WithoutTlsByDefault(this WebApplicationBuilder builder)
    {
        // Kestrel's EndpointDefaults config reaches only Kestrel:Endpoints, not --urls/ASPNETCORE_URLS; applying it here
        // makes every endpoint h2c (gRPC over plain HTTP cannot negotiate HTTP/2 without TLS).
        var protocols = builder.Configuration.GetValue("Kestrel:EndpointDefaults:Protocols", HttpProtocols.Http2);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = protocols));
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
