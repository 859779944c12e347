using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OrdersAspire.GrpcInsights.Configuration;

/// <summary>Marks each accepted connection with the kind of endpoint it arrived on.</summary>
public sealed record EndpointKindFeature(EndpointKind Kind);

/// <summary>
/// Kestrel binds the insights' three addresses (they replace whatever ASPNETCORE_URLS held); each endpoint, recognised
/// by its port, gets its protocols and a marker telling the pipeline which kind of endpoint a connection came in on.
/// </summary>
internal static class KestrelEndpointSetup
{
    public static void ConfigureEndpoints(KestrelServerOptions kestrel, InsightsEndpoints endpoints)
    {
        var byPort = endpoints.All.ToDictionary(e => e.Url.Port);
        kestrel.ConfigureEndpointDefaults(listen =>
        {
            var endpoint = listen.IPEndPoint is { } ip ? byPort.GetValueOrDefault(ip.Port) : null;
            var kind = endpoint?.Kind ?? EndpointKind.Frontend;
            // OTLP/gRPC over plain HTTP needs prior-knowledge HTTP/2 (h2c); browsers and OTLP/HTTP SDKs speak HTTP/1.1
            // (HTTP/2 for them only where TLS can negotiate it).
            listen.Protocols = kind == EndpointKind.OtlpGrpc ? HttpProtocols.Http2
                : endpoint?.Url.Scheme == Uri.UriSchemeHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            var feature = new EndpointKindFeature(kind);
            listen.Use(next => connection =>
            {
                connection.Features.Set(feature);
                return next(connection);
            });
        });
    }

    public static void UseAddresses(WebApplication app, InsightsEndpoints endpoints)
    {
        app.Urls.Clear();
        foreach (var endpoint in endpoints.All)
        {
            app.Urls.Add(endpoint.Url.GetLeftPart(UriPartial.Authority));
        }
    }
}
