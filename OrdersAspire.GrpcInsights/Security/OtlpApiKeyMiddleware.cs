using Grpc.Core;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Otlp;

namespace OrdersAspire.GrpcInsights.Security;

/// <summary>On the OTLP endpoints, refuses exports without the configured x-otlp-api-key (gRPC UNAUTHENTICATED / HTTP 401).</summary>
public sealed class OtlpApiKeyMiddleware(RequestDelegate next, InsightsSecurity security)
{
    public Task InvokeAsync(HttpContext context)
    {
        var kind = context.Features.Get<EndpointKindFeature>()?.Kind;
        if (kind is not (EndpointKind.OtlpGrpc or EndpointKind.OtlpHttp)
            || security.OtlpAuthMode == OtlpAuthMode.Unsecured
            || security.IsValidApiKey(context.Request.Headers[InsightsSecurity.ApiKeyHeader]))
        {
            return next(context);
        }

        var message = context.Request.Headers.ContainsKey(InsightsSecurity.ApiKeyHeader)
            ? $"The {InsightsSecurity.ApiKeyHeader} header does not match the insights' OTLP API key."
            : $"OTLP exports to these insights need the {InsightsSecurity.ApiKeyHeader} header.";
        if (kind == EndpointKind.OtlpGrpc)
        {
            return GrpcErrorResponse.WriteAsync(context, StatusCode.Unauthenticated, message);
        }

        var encoding = OtlpHttpEncoding.FromContentType(context.Request.ContentType) ?? OtlpHttpEncoding.Protobuf;
        return encoding.Failure(StatusCodes.Status401Unauthorized, StatusCode.Unauthenticated, message).ExecuteAsync(context);
    }
}
