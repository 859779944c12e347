using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// What a server answered to a raw gRPC call: the HTTP status, the gRPC status and message, grpc-accept-encoding, the
/// body, the rich status (a google.rpc.Status from grpc-status-details-bin) when there is one, and the content type.
/// </summary>
public sealed record RawGrpcReply(
    HttpStatusCode HttpStatus, StatusCode Status, string Message, string? AcceptEncoding, byte[] Body, byte[]? StatusDetails = null, string? ContentType = null);

/// <summary>
/// gRPC calls sent by hand over HTTP/2 (prior knowledge, h2c): the body is exactly the bytes given (see
/// <see cref="RawGrpcFrames"/>), and the status is read from the trailers, or from the headers of a trailers-only response.
/// </summary>
public static class RawGrpcCall
{
    public static async Task<RawGrpcReply> SendAsync(
        HttpClient http, Uri address, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, string? contentType = "application/grpc")
    {
        using var request = Request(address, new ByteArrayContent(body), headers, contentType);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var reply = await response.Content.ReadAsByteArrayAsync();
        var status = Value(response, "grpc-status") ?? throw new InvalidOperationException($"No grpc-status in an HTTP {(int)response.StatusCode} response.");
        var message = Value(response, "grpc-message");
        return new RawGrpcReply(
            response.StatusCode, (StatusCode)int.Parse(status, CultureInfo.InvariantCulture), message is null ? "" : Uri.UnescapeDataString(message),
            Value(response, "grpc-accept-encoding"), reply, Value(response, "grpc-status-details-bin") is { } details ? FromUnpaddedBase64(details) : null,
            response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// Sends HEADERS and <paramref name="partialBody"/> as DATA without END_STREAM; unless the server answers within
    /// <paramref name="resetAfter"/>, cancels: the client resets the stream (RST_STREAM) before its request has ended.
    /// </summary>
    /// <returns>The gRPC status the server answered with, or null when none was read: the client reset the call, or the
    /// server reset it too soon after its answer (as grpc-dotnet does when a deadline passes).</returns>
    public static async Task<StatusCode?> SendPartThenResetAsync(
        HttpClient http, Uri address, byte[] partialBody, IEnumerable<KeyValuePair<string, string>> headers, TimeSpan resetAfter)
    {
        var content = new UnfinishedContent(partialBody);
        using var request = Request(address, content, headers, "application/grpc");
        using var cancellation = new CancellationTokenSource();
        var sending = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
        await content.Sent.WaitAsync(TimeSpan.FromSeconds(10));
        if (await Task.WhenAny(sending, Task.Delay(resetAfter)) != sending)
        {
            await cancellation.CancelAsync();
        }

        try
        {
            using var response = await sending;
            await response.Content.ReadAsByteArrayAsync();
            var status = Value(response, "grpc-status") ?? throw new InvalidOperationException($"No grpc-status in an HTTP {(int)response.StatusCode} response.");
            return (StatusCode)int.Parse(status, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
        {
            return null;
        }
    }

    private static HttpRequestMessage Request(Uri address, HttpContent content, IEnumerable<KeyValuePair<string, string>> headers, string? contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, address)
        {
            Content = content,
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

        return request;
    }

    // gRPC's binary headers may leave out base64 padding.
    private static byte[] FromUnpaddedBase64(string value) => Convert.FromBase64String(value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '='));

    private static string? Value(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.Single()
        : response.Headers.TryGetValues(name, out var header) ? header.Single()
        : null;

    /// <summary>A request body that sends its bytes, flushes them onto the wire, and then never ends.</summary>
    private sealed class UnfinishedContent(byte[] bytes) : HttpContent
    {
        private readonly TaskCompletionSource sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Sent => sent.Task;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
