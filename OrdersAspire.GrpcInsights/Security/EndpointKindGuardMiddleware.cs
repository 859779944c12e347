using OrdersAspire.GrpcInsights.Configuration;

namespace OrdersAspire.GrpcInsights.Security;

/// <summary>Keeps each route on its own port: no UI on the OTLP ports, no OTLP on the UI port.</summary>
public sealed class EndpointKindGuardMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Hosts without the connection marker (in-process test servers) serve everything, like a single-port server.
        if (context.Features.Get<EndpointKindFeature>() is not { } arrivedOn)
        {
            return next(context);
        }

        var allowed = context.GetEndpoint()?.Metadata.GetMetadata<EndpointKindMetadata>()?.Kind ?? EndpointKind.Frontend;
        if (context.GetEndpoint() is null || allowed == arrivedOn.Kind)
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
