using System.IO.Compression;
using System.Net.Http.Headers;
using Google.Protobuf;
using Microsoft.AspNetCore.Http.Features;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrdersAspire.Dashboard.Configuration;
using OrdersAspire.Dashboard.Security;

namespace OrdersAspire.Dashboard.Otlp;

/// <summary>OTLP/HTTP with binary protobuf bodies: POST /v1/traces, /v1/logs, /v1/metrics.</summary>
internal static class OtlpHttpEndpoints
{
    public const string ProtobufContentType = "application/x-protobuf";

    public static void MapOtlpHttp(this IEndpointRouteBuilder endpoints)
    {
        var otlp = endpoints.MapGroup("/v1").WithMetadata(new EndpointKindMetadata(EndpointKind.OtlpHttp)).DisableAntiforgery();
        otlp.MapPost("/traces", (HttpContext context, OtlpIngestor ingestor) => Export(context, ExportTraceServiceRequest.Parser, ingestor.Export));
        otlp.MapPost("/logs", (HttpContext context, OtlpIngestor ingestor) => Export(context, ExportLogsServiceRequest.Parser, ingestor.Export));
        otlp.MapPost("/metrics", (HttpContext context, OtlpIngestor ingestor) => Export(context, ExportMetricsServiceRequest.Parser, ingestor.Export));
    }

    private static async Task<IResult> Export<TRequest, TResponse>(HttpContext context, MessageParser<TRequest> parser, Func<TRequest, TResponse> export)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType, ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Text($"Unsupported content type '{context.Request.ContentType}': send {ProtobufContentType} (OTLP/HTTP binary protobuf).",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var maxBytes = context.RequestServices.GetRequiredService<DashboardSecurity>().MaxRequestBodySize;
        if (context.Request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        byte[] body;
        try
        {
            body = await ReadBody(context.Request, maxBytes, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBytes);
        }
        catch (InvalidDataException)
        {
            return Results.Text("The gzip-encoded body could not be decompressed.", statusCode: StatusCodes.Status400BadRequest);
        }

        TRequest request;
        try
        {
            request = parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Results.Text($"The body is not a valid {typeof(TRequest).Name} protobuf message: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        return Results.Bytes(export(request).ToByteArray(), ProtobufContentType);
    }

    /// <summary>Reads the (optionally gzip-encoded) body, refusing more than maxBytes even after decompression.</summary>
    private static async Task<byte[]> ReadBody(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var gzip = string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
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

    private static IResult TooLarge(long maxBytes) =>
        Results.Text($"The export request is larger than the {maxBytes}-byte limit (Dashboard:Otlp:MaxRequestBodySize).",
            statusCode: StatusCodes.Status413PayloadTooLarge);
}
