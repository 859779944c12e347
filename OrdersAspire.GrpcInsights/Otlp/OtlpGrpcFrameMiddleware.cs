using System.Buffers;
using System.Buffers.Binary;
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

        var (frame, defect) = await ReadExportAsync(context.Request, context.RequestAborted);
        if (defect is { } failure)
        {
            if (failure.StatusCode == StatusCode.Unimplemented)
            {
                context.Response.Headers[GrpcFrameRules.AcceptEncodingHeader] = string.Join(",", rules.SupportedEncodings);
            }

            await GrpcErrorResponse.WriteAsync(context, failure.StatusCode, failure.Detail);
            return;
        }

        context.Response.RegisterForDispose(frame!);
        context.Request.Body = frame!;
        await next(context);
    }

    /// <summary>Buffers the export's one message (grpc-dotnet buffers a unary request whole anyway) until it is known to be sound.</summary>
    private async Task<(MemoryStream? Frame, Status? Defect)> ReadExportAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string? encoding = request.Headers["grpc-encoding"];
        // Grown as bytes arrive, never sized by the announced length: announcing 4 MiB and sending nothing costs nothing.
        // The rules refuse data past the announced length, so this never holds more than the size limit and one chunk.
        using var received = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await request.Body.ReadAsync(chunk, cancellationToken);
            received.Write(chunk, 0, read);
            var buffer = new ReadOnlySequence<byte>(received.GetBuffer(), 0, (int)received.Length);
            switch (rules.Check(buffer, isCompleted: read == 0, singleMessage: true, encoding, out var defect, out var message))
            {
                case FrameCheck.Invalid:
                    return (null, defect);
                case FrameCheck.Valid:
                    return (UncompressedFrame(message), null);
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
