using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrdersAspire.AppHost.GrpcInsights;

internal static class GrpcInsightsBuilderExtensions
{
    // The name Aspire gives its dashboard resource.
    private const string AspireDashboardName = "aspire-dashboard";

    // The insights' pages a developer opens next, each a named link on the dashboard's Resources page.
    private static readonly IReadOnlyList<(string Path, string DisplayText)> NamedPages = [("/grpc", "Calls"), ("/advisor", "Deadline advisor")];

    // Aspire's key for the dashboard's telemetry API key, generated into the AppHost's user secrets when unset.
    private const string DashboardApiKeySetting = "AppHost:DashboardApiKey";

    /// <summary>
    /// The gRPC insights, fed by the Aspire dashboard's telemetry API (so the services export once, to the dashboard)
    /// and linking each call back to the dashboard's trace view.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddGrpcInsights(this IDistributedApplicationBuilder builder, string name)
    {
        var insights = builder.AddProject<Projects.OrdersAspire_GrpcInsights>(name, options => options.ExcludeLaunchProfile = true)
            .WithLoopbackHttpEndpoint("http")
            .WithUrlForEndpoint("http", url => url.DisplayText = "gRPC insights");
        foreach (var (path, displayText) in NamedPages)
        {
            insights.WithUrlForEndpoint("http", _ => new() { Url = path, DisplayText = displayText });
        }

        insights.OnResourceReady((resource, ready, _) =>
        {
            var url = resource.GetEndpoint("http").Url;
            ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrpcInsightsBuilderExtensions).Namespace!).GrpcInsightsReady(url);
            return Task.CompletedTask;
        });

        // The dashboard resource exists only in run mode with the dashboard on; its address is known once DCP allocated it.
        insights.WithEnvironment(context =>
        {
            if (builder.Resources.OfType<IResourceWithEndpoints>().FirstOrDefault(r => r.Name == AspireDashboardName) is { } dashboard)
            {
                context.EnvironmentVariables["Insights__AspireDashboard__Url"] = dashboard.GetEndpoint("http");
                if (builder.Configuration[DashboardApiKeySetting] is { Length: > 0 } apiKey)
                {
                    context.EnvironmentVariables["Insights__AspireDashboard__ApiKey"] = apiKey;
                }
            }
        });

        return insights;
    }
}
