namespace OrdersAspire.AppHost.Health;

internal static class HealthPageExtensions
{
    public const string EndpointName = "health";
    public const string HealthDisplayText = "Health";
    public const string GrpcDisplayText = "gRPC (h2c): use a gRPC client";

    // Orders.Api's setting for the one port it serves over HTTP/1.1.
    public const string Http1PortVariable = "Orders__Http1Port";

    /// <summary>
    /// A URL on the dashboard's Resources page that a browser can open: a second endpoint, served over HTTP/1.1, showing
    /// <paramref name="path"/>. The h2c endpoints answer a browser with "An HTTP/1.x request was sent to an HTTP/2 only
    /// endpoint", so their URLs are labelled for gRPC clients and shown in the resource's details only.
    /// Run mode only: a deployment's manifest keeps the service's h2c endpoints alone.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHealthPage(this IResourceBuilder<ProjectResource> builder, string path)
    {
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        builder.WithLoopbackHttpEndpoint(EndpointName);
        var endpoint = builder.GetEndpoint(EndpointName);
        return builder
            .WithEnvironment(Http1PortVariable, endpoint.Property(EndpointProperty.TargetPort))
            .WithUrls(context =>
            {
                foreach (var url in context.Urls.Where(u => u.Endpoint is not null))
                {
                    if (url.Endpoint!.EndpointName == EndpointName)
                    {
                        url.Url = new Uri(new Uri(url.Url), path).ToString();
                        url.DisplayText = HealthDisplayText;
                    }
                    else
                    {
                        url.DisplayText = GrpcDisplayText;
                        url.DisplayLocation = UrlDisplayLocation.DetailsOnly;
                    }
                }
            });
    }
}
