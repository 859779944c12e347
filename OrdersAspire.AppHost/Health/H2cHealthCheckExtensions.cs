using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace OrdersAspire.AppHost.Health;

internal static class H2cHealthCheckExtensions
{
    /// <summary>
    /// Aspire's <c>WithHttpHealthCheck</c> for a service whose endpoints speak only HTTP/2 over cleartext (h2c, as gRPC
    /// needs): the probe's HTTP client asks for HTTP/2 with prior knowledge instead of HTTP/1.1, which h2c refuses.
    /// The check is named for the dashboard's reader, "orders-api /health (h2c)", where Aspire's would be
    /// "orders-api_http_/health_200_check".
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithH2cHealthCheck(this IResourceBuilder<ProjectResource> builder, string path)
    {
        var name = HealthCheckName(builder.Resource.Name, path);
        var endpoint = builder.GetEndpoint("http");
        Uri? url = null;
        builder.OnBeforeResourceStarted((_, _, _) =>
        {
            url = new Uri(new Uri(endpoint.Url), path);
            return Task.CompletedTask;
        });

        var services = builder.ApplicationBuilder.Services;
        // The URL health check names its HTTP client after the check; its request logs would fill the AppHost's console.
        services.AddHttpClient(name)
            .ConfigureHttpClient(client =>
            {
                client.DefaultRequestVersion = HttpVersion.Version20;
                client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            })
            .RemoveAllLoggers();
        services.AddHealthChecks().AddUrlGroup(
            options => options.AddUri(url ?? throw new InvalidOperationException($"The URL of '{builder.Resource.Name}' is not known before it starts.")),
            name);
        return builder.WithHealthCheck(name);
    }

    public static string HealthCheckName(string resourceName, string path) => $"{resourceName} {path} (h2c)";
}
