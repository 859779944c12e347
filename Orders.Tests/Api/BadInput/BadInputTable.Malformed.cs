using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using static Orders.Tests.Infrastructure.RawGrpcFrames;

namespace Orders.Tests.Api.BadInput;

/// <summary>Bytes no gRPC client would send, as the body of every RPC: framing, compression, message encoding.</summary>
public static partial class BadInputTable
{
    public const string MalformedSingleCategory = "Malformed unary / server-streaming request";
    public const string MalformedStreamCategory = "Malformed message in a request stream";

    /// <summary>A defect: the bytes that replace a sound message (or follow the sound ones of a stream), and what they earn.</summary>
    private sealed record Defect(string Name, byte[] Bytes, StatusCode Status, string Message, Dictionary<string, string>? Headers = null);

    /// <summary>Message bytes that are not a message of <paramref name="type"/>, whose field 1 is a string.</summary>
    private static IEnumerable<Defect> UnparseableMessages(string type) =>
    [
        new("garbage bytes", Frame([0x00, 0x01, 0x02, 0x03]), StatusCode.InvalidArgument,
            $"The request message could not be parsed as {type}: Protocol message contained an invalid tag (zero)."),
        new("truncated field", Frame([0x0A, 0x05, (byte)'a', (byte)'b']), StatusCode.InvalidArgument,
            $"could not be parsed as {type}: While parsing a protocol message, the input ended unexpectedly in the middle of a field."),
        new("invalid UTF-8 in a string", Frame([0x0A, 0x02, 0xC3, 0x28]), StatusCode.InvalidArgument,
            $"could not be parsed as {type}: String is invalid UTF-8."),
        new("nesting past the recursion limit", Frame([.. Enumerable.Repeat((byte)0x7B, 101), .. Enumerable.Repeat((byte)0x7C, 101)]), StatusCode.InvalidArgument,
            $"could not be parsed as {type}: Protocol message had too many levels of nesting."),
    ];

    /// <summary>Frames whose prefix, length or compression is wrong; <paramref name="sound"/> is a valid message of the method.</summary>
    private static IEnumerable<Defect> BadFrames(string type, byte[] sound) =>
    [
        new("compressed flag 2", Prefix(2, 0), StatusCode.InvalidArgument, "The request message could not be read: its compressed flag is 2; it must be 0 or 1."),
        new("length prefix 0xFFFFFFFF", Prefix(0, uint.MaxValue), StatusCode.ResourceExhausted, $"The request message is 4294967295 bytes; at most {Limit} are accepted."),
        new("length prefix one over the limit", Prefix(0, Limit + 1), StatusCode.ResourceExhausted, $"The request message is {Limit + 1} bytes; at most {Limit} are accepted."),
        new("message shorter than its prefix says", [.. Prefix(0, 10), 1, 2, 3], StatusCode.InvalidArgument, "The request message is incomplete: the request ended after 3 of its 10 bytes."),
        new("prefix cut short", [0, 0, 0], StatusCode.InvalidArgument, "The request message is incomplete: the request ended 3 bytes into its 5-byte prefix."),
        new("compressed without grpc-encoding", Frame(Gzip(sound), 1), StatusCode.InvalidArgument, "flagged as compressed but its grpc-encoding is 'identity'."),
        new("compressed with grpc-encoding identity", Frame(Gzip(sound), 1), StatusCode.InvalidArgument, "flagged as compressed but its grpc-encoding is 'identity'.",
            With("grpc-encoding", "identity")),
        new("unsupported grpc-encoding", Frame(Gzip(sound), 1), StatusCode.Unimplemented, "Unsupported grpc-encoding value 'br'. Supported encodings: identity, gzip, deflate",
            With("grpc-encoding", "br")),
        new("undecodable gzip", Frame("not gzip at all"u8.ToArray(), 1), StatusCode.InvalidArgument, "The request message could not be decompressed: it is not valid gzip data.",
            With("grpc-encoding", "gzip")),
        new("undecodable deflate", Frame("not deflate"u8.ToArray(), 1), StatusCode.InvalidArgument, "The request message could not be decompressed: it is not valid deflate data.",
            With("grpc-encoding", "deflate")),
        new("gzip bomb over the limit", Frame(GzipBomb, 1), StatusCode.ResourceExhausted, $"The request message decompresses to more than {Limit} bytes",
            With("grpc-encoding", "gzip")),
        new("gzip of garbage bytes", Frame(Gzip([0x00, 0x01, 0x02, 0x03]), 1), StatusCode.InvalidArgument,
            $"could not be parsed as {type}: Protocol message contained an invalid tag (zero).", With("grpc-encoding", "gzip")),
    ];

    private static IEnumerable<BadInputCase> MalformedSingleMessages()
    {
        // Sound messages that change nothing, should a defect slip through: an unknown id, a valid new order.
        var unknownId = Bytes(new StringValue { Value = "no-such-order" });
        (string Rpc, string Type, byte[] Sound)[] methods =
        [
            ("addOrder", "ecommerce.Order", Bytes(ValidOrder())),
            ("getOrder", "google.protobuf.StringValue", unknownId),
            ("searchOrders", "google.protobuf.StringValue", unknownId),
            ("deleteOrder", "google.protobuf.StringValue", unknownId),
        ];
        foreach (var (rpc, type, sound) in methods)
        {
            Defect[] defects =
            [
                .. UnparseableMessages(type),
                .. BadFrames(type, sound),
                new("empty body", [], StatusCode.InvalidArgument, "The request ended without a message; a unary or server-streaming call takes exactly one."),
                new("two messages", [.. Frame(sound), .. Frame(sound)], StatusCode.InvalidArgument, "The request carries data after its message"),
            ];
            foreach (var defect in defects)
            {
                yield return new BadInputCase(MalformedSingleCategory, $"{rpc}: {defect.Name}", rpc, Raw(rpc, defect.Bytes, defect.Headers), defect.Status, defect.Message);
            }
        }
    }

    private static IEnumerable<BadInputCase> MalformedStreamMessages()
    {
        var index = 0;
        foreach (var defect in UnparseableMessages("ecommerce.Order").Concat(BadFrames("ecommerce.Order", Bytes(ValidOrder("sound")))))
        {
            // A sound order first: the stream fails after it, and the order must not be stored.
            var storedIfAccepted = $"rejected-update-{index++}";
            yield return new BadInputCase(MalformedStreamCategory, $"updateOrders: {defect.Name} after a sound order", "updateOrders",
                Raw("updateOrders", [.. Frame(Bytes(ValidOrder(storedIfAccepted))), .. defect.Bytes], defect.Headers), defect.Status, defect.Message,
                NotStored: [storedIfAccepted]);
        }

        foreach (var defect in UnparseableMessages("google.protobuf.StringValue").Concat(BadFrames("google.protobuf.StringValue", Bytes(new StringValue { Value = "101" }))))
        {
            yield return new BadInputCase(MalformedStreamCategory, $"processOrders: {defect.Name} after a sound id", "processOrders",
                Raw("processOrders", [.. Frame(Bytes(new StringValue { Value = "101" })), .. defect.Bytes], defect.Headers), defect.Status, defect.Message);
        }
    }
}
