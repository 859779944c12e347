using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace OrdersAspire.AppHost.Health;

internal static class H2cHealthCheckExtensions
{
    /// <summary>
    /// Aspire's <c>WithHttpHealthCheck</c> for a service whose endpoints speak only HTTP/2 over cleartext (h2c, as gRPC
    /// needs): the probe's HTTP client asks for HTTP/2 with prior knowledge instead of HTTP/1.1, which h2c refuses.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithH2cHealthCheck(this IResourceBuilder<ProjectResource> builder, string path)
    {
        builder.WithHttpHealthCheck(path);
        // The URL health check names its HTTP client after its health check key.
        var healthCheckKey = builder.Resource.Annotations.OfType<HealthCheckAnnotation>().Last().Key;
        builder.ApplicationBuilder.Services.AddHttpClient(healthCheckKey).ConfigureHttpClient(client =>
        {
            client.DefaultRequestVersion = HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        });
        return builder;
    }
}
