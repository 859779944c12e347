using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Security;
using OrdersAspire.Shared.GrpcFrames;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>
/// Checks the frame of an OTLP/gRPC export by the shared <see cref="GrpcFrameRules"/> before grpc-dotnet reads it: an
/// export is exactly one length-prefixed message. grpc-dotnet answers a bad frame with INTERNAL or UNKNOWN ("Exception
/// was thrown by handler."); here each gets its precise status and message.
/// </summary>
internal sealed class OtlpGrpcFrameMiddleware(RequestDelegate next, GrpcFrameRules rules)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<EndpointKindMetadata>()?.Kind != EndpointKind.OtlpGrpc
            || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            await next(context);
            return;
        }

        // The rules bound the body by Insights:Otlp:MaxRequestBodySize, as grpc-dotnet would: Kestrel's own default
        // (30,000,000 bytes) would cut a larger allowed export short with a bare HTTP 413 and no gRPC status.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        var (decompressed, defect) = await ReadExportAsync(context.Request.BodyReader, context.Request.Headers["grpc-encoding"], context.RequestAborted);
        if (defect is { } failure)
        {
            if (failure.StatusCode == StatusCode.Unimplemented)
            {
                context.Response.Headers[GrpcFrameRules.AcceptEncodingHeader] = string.Join(",", rules.SupportedEncodings);
            }

            await GrpcErrorResponse.WriteAsync(context, failure.StatusCode, failure.Detail);
            return;
        }

        if (decompressed is not null)
        {
            context.Response.RegisterForDispose(decompressed);
            context.Request.Body = decompressed;
        }

        await next(context);
    }

    /// <summary>
    /// Reads the export's one message, buffered in the request's own pipe (grpc-dotnet buffers a unary request whole
    /// anyway), until it is known to be sound. An uncompressed one is left in the pipe, unconsumed, for grpc-dotnet to
    /// read: no copy of it is made. A compressed one is handed on decompressed, as a new body.
    /// </summary>
    private async Task<(MemoryStream? Decompressed, Status? Defect)> ReadExportAsync(PipeReader body, string? encoding, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            switch (rules.Check(buffer, read.IsCompleted, singleMessage: true, encoding, out var defect, out var message))
            {
                case FrameCheck.Invalid:
                    body.AdvanceTo(buffer.End);
                    return (null, defect);
                case FrameCheck.Valid:
                    var compressed = buffer.Slice(0, 1).FirstSpan[0] == 1;
                    var decompressed = compressed ? UncompressedFrame(message) : null;
                    body.AdvanceTo(compressed ? buffer.End : buffer.Start, buffer.End);
                    return (decompressed, null);
                default:
                    // Kestrel opens the stream's flow-control window as bytes are examined, consumed or not.
                    body.AdvanceTo(buffer.Start, buffer.End);
                    break;
            }
        }
    }

    /// <summary>The message already decompressed (within the limit), so grpc-dotnet reads it as it is.</summary>
    private static MemoryStream UncompressedFrame(in ReadOnlySequence<byte> message)
    {
        var frame = new byte[GrpcFrameRules.PrefixSize + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame.AsSpan(GrpcFrameRules.PrefixSize));
        return new MemoryStream(frame, writable: false);
    }
}
