using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Security;
using GrpcStatusCode = Grpc.Core.StatusCode;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>
/// Holds every OTLP export to <see cref="OtlpExportAdmission"/> before its body is read. A refused export gets the
/// answers the OTLP specification names as retryable throttling: over gRPC UNAVAILABLE with a google.rpc.RetryInfo,
/// over HTTP 503 with Retry-After (and a google.rpc.Status UNAVAILABLE in the request's encoding).
/// </summary>
internal sealed class OtlpExportAdmissionMiddleware(RequestDelegate next, OtlpExportAdmission admission)
{
    /// <summary>What a refused exporter is told to wait: whole seconds, as Retry-After counts them.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        var kind = context.GetEndpoint()?.Metadata.GetMetadata<EndpointKindMetadata>()?.Kind;
        if (kind is not (EndpointKind.OtlpGrpc or EndpointKind.OtlpHttp))
        {
            await next(context);
            return;
        }

        using var slot = await admission.EnterAsync(context.RequestAborted);
        if (slot is null)
        {
            await RefuseAsync(context, kind.Value);
            return;
        }

        await next(context);
    }

    private Task RefuseAsync(HttpContext context, EndpointKind kind)
    {
        var message = $"The insights are already parsing {admission.MaxInFlight} exports ({OtlpOptions.MaxConcurrentExportsSetting}); " +
            $"retry after {RetryAfter.TotalSeconds:0} s.";
        if (kind == EndpointKind.OtlpGrpc)
        {
            return GrpcErrorResponse.WriteAsync(context, new Status
            {
                Code = (int)GrpcStatusCode.Unavailable,
                Message = message,
                Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(RetryAfter) }) },
            });
        }

        // Over HTTP the delay travels in Retry-After, so the body stays a plain google.rpc.Status any OTLP/JSON client reads.
        context.Response.Headers.RetryAfter = RetryAfter.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        var encoding = OtlpHttpEncoding.FromContentType(context.Request.ContentType) ?? OtlpHttpEncoding.Protobuf;
        return encoding.Failure(StatusCodes.Status503ServiceUnavailable, GrpcStatusCode.Unavailable, message).ExecuteAsync(context);
    }
}
