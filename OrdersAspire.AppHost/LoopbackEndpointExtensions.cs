namespace OrdersAspire.AppHost;

internal static class LoopbackEndpointExtensions
{
    /// <summary>
    /// An HTTP endpoint on 127.0.0.1, like the dashboard's and orders-api's: Aspire's default target host, localhost,
    /// would make DCP listen there and show the URL as http://localhost:port.
    /// </summary>
    public static IResourceBuilder<T> WithLoopbackHttpEndpoint<T>(this IResourceBuilder<T> builder, string name)
        where T : IResourceWithEndpoints =>
        builder.WithHttpEndpoint(name: name).WithEndpoint(name, endpoint => endpoint.TargetHost = "127.0.0.1");
}
