using OrdersAspire.GrpcInsights.Resources;
using static OrdersAspire.ResourceService.ResourceService;

namespace OrdersAspire.GrpcInsights.ResourceService;

public static class ResourceServiceRegistration
{
    /// <summary>Aspire's name for where the AppHost's resource service listens; unset when the dashboard runs standalone.</summary>
    public const string EndpointUrlKey = "DOTNET_RESOURCE_SERVICE_ENDPOINT_URL";

    /// <summary>
    /// Registers the AppHost as a resource source when it told us where it is. Call before the telemetry source:
    /// the catalog lets the first-registered source win for state.
    /// </summary>
    public static void AddAppHostResources(this WebApplicationBuilder builder)
    {
        if (builder.Configuration[EndpointUrlKey] is not { Length: > 0 } url)
        {
            return;
        }

        builder.Services.AddGrpcClient<ResourceServiceClient>(o => o.Address = new Uri(url));
        builder.Services.AddSingleton<AppHostResourceSource>();
        builder.Services.AddSingleton<IResourceSource>(sp => sp.GetRequiredService<AppHostResourceSource>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AppHostResourceSource>());
    }
}
