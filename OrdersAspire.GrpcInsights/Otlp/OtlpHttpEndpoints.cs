using System.IO.Compression;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Security;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>OTLP/HTTP, binary protobuf or JSON bodies: POST /v1/traces, /v1/logs, /v1/metrics.</summary>
internal static class OtlpHttpEndpoints
{
    public const string CorsPolicy = "OtlpHttp";

    /// <summary>Browser apps on other origins may export when Insights:Otlp:Cors:AllowedOrigins lists them (POST only).</summary>
    public static IServiceCollection AddOtlpHttpCors(this IServiceCollection services, OtlpCorsOptions cors) =>
        services.AddCors(options => options.AddPolicy(CorsPolicy, policy =>
        {
            var origins = Split(cors.AllowedOrigins);
            var headers = Split(cors.AllowedHeaders);
            _ = origins.Contains("*") ? policy.AllowAnyOrigin() : policy.WithOrigins(origins);
            _ = headers.Length == 0 || headers.Contains("*") ? policy.AllowAnyHeader() : policy.WithHeaders(headers);
            policy.WithMethods(HttpMethods.Post);
        }));

    public static void MapOtlpHttp(this IEndpointRouteBuilder endpoints, OtlpCorsOptions cors)
    {
        var otlp = endpoints.MapGroup("/v1").WithMetadata(new EndpointKindMetadata(EndpointKind.OtlpHttp)).DisableAntiforgery();
        if (cors.IsEnabled)
        {
            otlp.RequireCors(CorsPolicy);
        }

        otlp.MapPost("/traces", (HttpContext context, OtlpIngestor ingestor) => Export(context, ExportTraceServiceRequest.Parser, ingestor.Export));
        // Delegates, not RequestDelegates: the IResult each returns must be written.
        otlp.MapPost("/logs", (Func<HttpContext, Task<IResult>>)(context => Export(context, ExportLogsServiceRequest.Parser, OtlpIngestor.Export)));
        otlp.MapPost("/metrics", (Func<HttpContext, Task<IResult>>)(context => Export(context, ExportMetricsServiceRequest.Parser, OtlpIngestor.Export)));
    }

    private static async Task<IResult> Export<TRequest, TResponse>(HttpContext context, MessageParser<TRequest> parser, Func<TRequest, TResponse> export)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        if (OtlpHttpEncoding.FromContentType(context.Request.ContentType) is not { } encoding)
        {
            return OtlpHttpEncoding.Protobuf.Failure(StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument,
                $"Unsupported content type '{context.Request.ContentType}': send {OtlpHttpEncoding.Protobuf.ContentType} or {OtlpHttpEncoding.Json.ContentType}.");
        }

        var contentEncoding = context.Request.Headers.ContentEncoding.ToString();
        if (contentEncoding.Length > 0 && !IsGzip(contentEncoding) && !string.Equals(contentEncoding, "identity", StringComparison.OrdinalIgnoreCase))
        {
            return encoding.Failure(StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument,
                $"Unsupported content encoding '{contentEncoding}': send gzip or no Content-Encoding.");
        }

        var maxBytes = context.RequestServices.GetRequiredService<InsightsSecurity>().MaxRequestBodySize;
        if (context.Request.ContentLength > maxBytes)
        {
            return TooLarge(encoding, maxBytes);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        TRequest request;
        try
        {
            request = encoding.Parse(parser, await ReadBody(context.Request, maxBytes, context.RequestAborted));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(encoding, maxBytes);
        }
        catch (InvalidDataException)
        {
            return encoding.Failure(StatusCodes.Status400BadRequest, StatusCode.InvalidArgument, "The gzip-encoded body could not be decompressed.");
        }
        catch (FormatException e)
        {
            return encoding.Failure(StatusCodes.Status400BadRequest, StatusCode.InvalidArgument, e.Message);
        }

        return encoding.Response(export(request));
    }

    /// <summary>Reads the (optionally gzip-encoded) body, refusing more than maxBytes even after decompression.</summary>
    private static async Task<byte[]> ReadBody(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var gzip = IsGzip(request.Headers.ContentEncoding.ToString());
        await using var source = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsGzip(string contentEncoding) => string.Equals(contentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static IResult TooLarge(OtlpHttpEncoding encoding, long maxBytes) =>
        encoding.Failure(StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted,
            $"The export request is larger than the {maxBytes}-byte limit ({OtlpOptions.MaxRequestBodySizeSetting}).");
}
