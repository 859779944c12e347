using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Client.Hosting;
using Orders.Tests.Api;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Client;

/// <summary>The client's real registration (factory-made client + interceptor) wired to Orders.Api in memory.</summary>
public static class InProcessOrdersClient
{
    public static ServiceProvider Create(OrdersApiFactory api, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build())
            .AddLogging(logging => logging.AddFakeLogging())
            .AddMetrics();
        services.AddOrdersClient(api.Server.BaseAddress);
        // Same client, same interceptor; only the transport is the in-memory test server instead of a socket.
        services.AddHttpClient(nameof(OrderManagementClient)).ConfigurePrimaryHttpMessageHandler(() => api.Server.CreateHandler());
        return services.BuildServiceProvider();
    }
}
