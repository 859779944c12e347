using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// What a server answered to a raw gRPC call: the HTTP status, the gRPC status and message, grpc-accept-encoding, the
/// body, and the rich status (a google.rpc.Status from grpc-status-details-bin) when there is one.
/// </summary>
public sealed record RawGrpcReply(HttpStatusCode HttpStatus, StatusCode Status, string Message, string? AcceptEncoding, byte[] Body, byte[]? StatusDetails = null);

/// <summary>
/// gRPC calls sent by hand over HTTP/2 (prior knowledge, h2c): the body is exactly the bytes given (see
/// <see cref="RawGrpcFrames"/>), and the status is read from the trailers, or from the headers of a trailers-only response.
/// </summary>
public static class RawGrpcCall
{
    public static async Task<RawGrpcReply> SendAsync(
        HttpClient http, Uri address, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, string? contentType = "application/grpc")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, address)
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
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var reply = await response.Content.ReadAsByteArrayAsync();
        var status = Value(response, "grpc-status") ?? throw new InvalidOperationException($"No grpc-status in an HTTP {(int)response.StatusCode} response.");
        var message = Value(response, "grpc-message");
        return new RawGrpcReply(
            response.StatusCode, (StatusCode)int.Parse(status, CultureInfo.InvariantCulture), message is null ? "" : Uri.UnescapeDataString(message),
            Value(response, "grpc-accept-encoding"), reply, Value(response, "grpc-status-details-bin") is { } details ? FromUnpaddedBase64(details) : null);
    }

    // gRPC's binary headers may leave out base64 padding.
    private static byte[] FromUnpaddedBase64(string value) => Convert.FromBase64String(value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '='));

    private static string? Value(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.Single()
        : response.Headers.TryGetValues(name, out var header) ? header.Single()
        : null;
}
