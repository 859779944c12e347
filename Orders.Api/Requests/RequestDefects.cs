using Google.Protobuf;
using Grpc.Core;

namespace Orders.Api.Requests;

/// <summary>
/// The statuses of a request message that cannot be read (docs/contract.md, Malformed requests): the caller's fault,
/// so INVALID_ARGUMENT, or RESOURCE_EXHAUSTED for a message over the size limit. Messages name the problem, never our code.
/// </summary>
public static class RequestDefects
{
    public static RpcException NoMessage() =>
        Invalid("The request ended without a message; a unary or server-streaming call takes exactly one.");

    public static RpcException IncompletePrefix(long received) =>
        Invalid($"The request message is incomplete: the request ended {received} bytes into its 5-byte prefix.");

    public static RpcException Incomplete(long received, long declared) =>
        Invalid($"The request message is incomplete: the request ended after {received} of its {declared} bytes.");

    public static RpcException TrailingData() =>
        Invalid("The request carries data after its message; a unary or server-streaming call takes exactly one.");

    public static RpcException InvalidCompressedFlag(byte flag) =>
        Invalid($"The request message could not be read: its compressed flag is {flag}; it must be 0 or 1.");

    public static RpcException CompressedWithoutEncoding(string? encoding) =>
        Invalid($"The request message is flagged as compressed but its grpc-encoding is '{encoding ?? "identity"}'.");

    public static RpcException UnsupportedEncoding(string encoding, IEnumerable<string> supported) =>
        new(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {string.Join(", ", supported)}"));

    public static RpcException Undecompressable(string encoding) =>
        Invalid($"The request message could not be decompressed: it is not valid {encoding} data.");

    public static RpcException TooLarge(long size, int limit) =>
        new(new Status(StatusCode.ResourceExhausted, $"The request message is {size} bytes; at most {limit} are accepted."));

    public static RpcException DecompressesTooLarge(int limit) =>
        new(new Status(StatusCode.ResourceExhausted, $"The request message decompresses to more than {limit} bytes; at most {limit} are accepted."));

    /// <summary>Protobuf's first sentence names the defect; the rest is advice for whoever configures the parser.</summary>
    public static RpcException Unparseable(string messageType, InvalidProtocolBufferException exception) =>
        Invalid($"The request message could not be parsed as {messageType}: {FirstSentence(exception.Message)}");

    private static string FirstSentence(string text) =>
        text.IndexOf(". ", StringComparison.Ordinal) is var end and >= 0 ? text[..(end + 1)] : text;

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
