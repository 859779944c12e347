using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OrdersAspire.Dashboard.Configuration;

/// <summary>Marks each accepted connection with the kind of endpoint it arrived on.</summary>
public sealed record EndpointKindFeature(EndpointKind Kind);

internal static class KestrelEndpointSetup
{
    public static void Listen(KestrelServerOptions kestrel, DashboardEndpoints endpoints)
    {
        foreach (var endpoint in endpoints.All)
        {
            Listen(kestrel, endpoint);
        }
    }

    private static void Listen(KestrelServerOptions kestrel, DashboardEndpoint endpoint)
    {
        void Configure(ListenOptions listen)
        {
            // OTLP/gRPC over plain HTTP needs prior-knowledge HTTP/2 (h2c); browsers and OTLP/HTTP SDKs speak HTTP/1.1
            // (HTTP/2 for them only where TLS can negotiate it).
            var https = endpoint.Url.Scheme == Uri.UriSchemeHttps;
            listen.Protocols = endpoint.Kind == EndpointKind.OtlpGrpc ? HttpProtocols.Http2
                : https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            if (https)
            {
                listen.UseHttps();
            }

            var feature = new EndpointKindFeature(endpoint.Kind);
            listen.Use(next => connection =>
            {
                connection.Features.Set(feature);
                return next(connection);
            });
        }

        var host = endpoint.Url.Host.Trim('[', ']');
        var port = endpoint.Url.Port;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, Configure);
        }
        else if (IPAddress.TryParse(host, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
        {
            kestrel.Listen(address, port, Configure);
        }
        else
        {
            kestrel.ListenAnyIP(port, Configure);
        }
    }
}
