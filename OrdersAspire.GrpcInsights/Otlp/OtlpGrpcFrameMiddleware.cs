using System.Buffers.Binary;
using Grpc.Core;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Security;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>
/// Checks the framing of an OTLP/gRPC export before grpc-dotnet reads it: an export is exactly one length-prefixed
/// message. grpc-dotnet answers a bad frame with INTERNAL or UNKNOWN ("Exception was thrown by handler."); here each
/// gets INVALID_ARGUMENT, or RESOURCE_EXHAUSTED for a message over the limit, with what exactly was wrong.
/// </summary>
internal sealed class OtlpGrpcFrameMiddleware(RequestDelegate next, DashboardSecurity security)
{
    private const int HeaderSize = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<EndpointKindMetadata>()?.Kind != EndpointKind.OtlpGrpc
            || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            await next(context);
            return;
        }

        var (frame, error) = await ReadFrameAsync(context.Request, security.MaxRequestBodySize, context.RequestAborted);
        if (error is { } failure)
        {
            await GrpcErrorResponse.WriteAsync(context, failure.StatusCode, failure.Detail);
            return;
        }

        // The checked frame, buffered, is what grpc-dotnet reads.
        frame!.Position = 0;
        context.Response.RegisterForDispose(frame);
        context.Request.Body = frame;
        await next(context);
    }

    private static async Task<(MemoryStream? Frame, Status? Error)> ReadFrameAsync(HttpRequest request, int maxMessageSize, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        var read = await request.Body.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return (null, Invalid("The request carries no message: an OTLP export is one length-prefixed protobuf message."));
        }

        if (read < HeaderSize)
        {
            return (null, Invalid($"The request ended inside the 5-byte message header, after {read} bytes."));
        }

        if (header[0] > 1)
        {
            return (null, Invalid($"The message header's compressed flag is {header[0]}; it must be 0 or 1."));
        }

        var encoding = request.Headers["grpc-encoding"].ToString();
        if (header[0] == 1 && (encoding.Length == 0 || encoding == "identity"))
        {
            return (null, Invalid("The message is flagged as compressed but the request's grpc-encoding names no compression."));
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > maxMessageSize)
        {
            return (null, new Status(StatusCode.ResourceExhausted,
                $"The message is {length} bytes; the limit is {maxMessageSize} bytes (Dashboard:Otlp:MaxRequestBodySize)."));
        }

        // Grown as bytes arrive, never sized by the announced length: announcing 4 MiB and sending nothing costs nothing.
        var frame = new MemoryStream();
        frame.Write(header);
        var chunk = new byte[16 * 1024];
        int chunkRead;
        while ((chunkRead = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (frame.Length - HeaderSize + chunkRead > length)
            {
                return (null, Invalid($"The request carries data after its {length}-byte message: an OTLP export is exactly one message."));
            }

            frame.Write(chunk, 0, chunkRead);
        }

        if (frame.Length - HeaderSize < length)
        {
            return (null, Invalid($"The message header announces {length} bytes but the request ended after {frame.Length - HeaderSize}."));
        }

        return (frame, null);
    }

    private static Status Invalid(string detail) => new(StatusCode.InvalidArgument, detail);
}
