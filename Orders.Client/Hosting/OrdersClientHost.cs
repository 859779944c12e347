using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orders.Client.Interceptors;
using static Ecommerce.OrderManagement;

namespace Orders.Client.Hosting;

/// <summary>The client's host: ServiceDefaults (OTLP, discovery) plus the factory-made gRPC client and its interceptor.</summary>
public static class OrdersClientHost
{
    /// <summary>Grpc.Net.Client's per-call log category; its only warnings are the deadline one and one about call credentials without TLS, which this client allows.</summary>
    private const string GrpcCallLogCategory = "Grpc.Net.Client.Internal.GrpcCall";

    /// <param name="contentRoot">The folder holding the client's appsettings.json.</param>
    public static IHost Build(string? address, ClientCredentials credentials, CommandLineLog log, string contentRoot)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // The command line belongs to System.CommandLine; configuration comes from appsettings and the environment.
            Args = [],
            ContentRootPath = contentRoot,
        });
        // The console logger's background queue would print a scenario step's call lines after its result line; the
        // CLI writes its own lines in order instead. Cleared first: ServiceDefaults adds the OTLP log exporter.
        builder.Logging.ClearProviders().AddProvider(new CommandLineLoggerProvider(log));
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<IHostLifetime, CommandLineHostLifetime>();
        var configuredToken = builder.Configuration.GetSection(ClientCallOptions.SectionName).Get<ClientCallOptions>()?.Token;
        var token = credentials.Token ?? (string.IsNullOrEmpty(configuredToken) ? null : configuredToken);
        var apiAddress = OrdersApiAddress.Resolve(address, builder.Configuration);
        var discovered = apiAddress == OrdersApiAddress.ServiceDiscoveryName ? OrdersApiAddress.DiscoveredEndpoints(builder.Configuration) : [];
        builder.Services.AddOrdersClient(apiAddress, credentials with { Token = token }, discovered);
        return builder.Build();
    }

    /// <param name="discovered">
    /// When <paramref name="address"/> is the service discovery name: the endpoints configured for it, balanced round robin
    /// (<see cref="OrdersApiAddress.DiscoveredEndpoints"/>).
    /// </param>
    public static IServiceCollection AddOrdersClient(
        this IServiceCollection services, Uri address, ClientCredentials? credentials = null, IReadOnlyList<Uri>? discovered = null)
    {
        if (discovered is { Count: > 0 })
        {
            address = ClientLoadBalancing.DiscoveredEndpointsAddress;
        }

        services.AddValidatedOptions<ClientCallOptions, ClientCallOptionsValidator>(ClientCallOptions.SectionName);
        services.AddSingleton<ClientCallMetrics>();
        services.AddSingleton<ClientCallInterceptor>();
        // The interceptor logs a deadline-exceeded call once, inside the call's trace; Grpc.Net.Client's own warning
        // for it (its deadline timer's, outside any trace) would repeat it without a trace id. Errors still pass.
        services.AddLogging(logging => logging.AddFilter(GrpcCallLogCategory, LogLevel.Error));

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers: the documented opt-out from ConfigureHttpClientDefaults' handler, still flagged experimental.
        var client = services.AddGrpcClient<OrderManagementClient>(o => o.Address = address)
            .AddInterceptor<ClientCallInterceptor>()
            // Added after ServiceDefaults' discovery handler, so inside it: it sees the address the request is sent to.
            .AddHttpMessageHandler(() => new ClientSpanTagsHandler())
            // SocketsHttpHandler speaks HTTP/2 with prior knowledge, so plain http:// (h2c) addresses work; innermost,
            // it is also what client-side load balancing needs to open a connection per address.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
            // The standard HTTP resilience handler's retries and attempt timeouts break streams and override gRPC deadlines.
            .RemoveAllResilienceHandlers()
            .UseCredentials(credentials ?? ClientCredentials.None);
#pragma warning restore EXTEXP0001
        if (OrdersApiAddress.IsDnsName(address))
        {
            client.BalanceOverEveryAddress(new DnsResolverFactory(ClientLoadBalancing.DnsRefreshInterval));
        }
        else if (discovered is { Count: > 0 })
        {
            client.BalanceOverEveryAddress(new StaticResolverFactory(_ => [.. discovered.Select(endpoint => new BalancerAddress(endpoint.Host, endpoint.Port))]));
        }

        return services;
    }
}
