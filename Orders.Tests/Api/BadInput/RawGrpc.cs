using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace Orders.Tests.Api.BadInput;

/// <summary>
/// Hand-built gRPC requests over HTTP/2 (prior knowledge, h2c): the 5-byte frame prefix and the message bytes are
/// whatever the test says, which no gRPC client would send.
/// </summary>
public static class RawGrpc
{
    public const string Service = "ecommerce.OrderManagement";

    /// <summary>A frame: compressed flag, big-endian length, message bytes.</summary>
    public static byte[] Frame(byte[] message, byte flag = 0) => [.. Header(flag, (uint)message.Length), .. message];

    /// <summary>Just the 5-byte prefix, declaring <paramref name="length"/> bytes that may never come.</summary>
    public static byte[] Header(byte flag, uint length)
    {
        var header = new byte[5];
        header[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), length);
        return header;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>POSTs <paramref name="body"/> to <c>/{service}/{method}</c> and reads the gRPC status (trailers, or headers when trailers-only).</summary>
    public static async Task<CallOutcome> SendAsync(
        HttpClient http, string method, byte[] body, string requestId,
        IReadOnlyDictionary<string, string>? headers = null, string? contentType = "application/grpc", string service = Service)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{service}/{method}")
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("x-request-id", requestId);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var status = Value(response, "grpc-status") ?? throw new InvalidOperationException($"No grpc-status in an HTTP {(int)response.StatusCode} response.");
        var message = Value(response, "grpc-message");
        return new CallOutcome(
            (StatusCode)int.Parse(status, CultureInfo.InvariantCulture), message is null ? "" : Uri.UnescapeDataString(message),
            AcceptEncoding: Value(response, "grpc-accept-encoding"));
    }

    private static string? Value(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.Single()
        : response.Headers.TryGetValues(name, out var header) ? header.Single()
        : null;
}
