using Grpc.Core;

namespace OrdersAspire.Shared.GrpcFrames;

/// <summary>
/// The statuses of a request frame that cannot be read: the caller's fault, so INVALID_ARGUMENT, RESOURCE_EXHAUSTED for a
/// message over the size limit, UNIMPLEMENTED for an unknown encoding. Messages name the problem, never our code; a
/// limit names the setting that sets it, where the server has one.
/// </summary>
internal static class GrpcFrameDefects
{
    public static Status NoMessage() =>
        Invalid("The request ended without a message; a unary or server-streaming call takes exactly one.");

    public static Status IncompletePrefix(long received) =>
        Invalid($"The request message is incomplete: the request ended {received} bytes into its 5-byte prefix.");

    public static Status Incomplete(long received, long declared) =>
        Invalid($"The request message is incomplete: the request ended after {received} of its {declared} bytes.");

    public static Status TrailingData() =>
        Invalid("The request carries data after its message; a unary or server-streaming call takes exactly one.");

    public static Status InvalidCompressedFlag(byte flag) =>
        Invalid($"The request message could not be read: its compressed flag is {flag}; it must be 0 or 1.");

    public static Status CompressedWithoutEncoding(string? encoding) =>
        Invalid($"The request message is flagged as compressed but its grpc-encoding is '{encoding ?? GrpcFrameRules.IdentityEncoding}'.");

    /// <summary>grpc-dotnet's own wording, which gRPC clients already know.</summary>
    public static Status UnsupportedEncoding(string encoding, IEnumerable<string> supported) =>
        new(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {string.Join(", ", supported)}");

    public static Status Undecompressable(string encoding) =>
        Invalid($"The request message could not be decompressed: it is not valid {encoding} data.");

    public static Status TooLarge(long size, int limit, string? limitSetting) =>
        new(StatusCode.ResourceExhausted, $"The request message is {size} bytes; at most {limit} are accepted{Naming(limitSetting)}.");

    public static Status DecompressesTooLarge(int limit, string? limitSetting) =>
        new(StatusCode.ResourceExhausted, $"The request message decompresses to more than {limit} bytes; at most {limit} are accepted{Naming(limitSetting)}.");

    private static string Naming(string? setting) => setting is null ? "" : $" ({setting})";

    private static Status Invalid(string message) => new(StatusCode.InvalidArgument, message);
}
