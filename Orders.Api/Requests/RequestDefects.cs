using Google.Protobuf;
using Grpc.Core;

namespace Orders.Api.Requests;

/// <summary>
/// The status of a well-framed request message that is not a message of the method's type (docs/contract.md, Malformed
/// requests); the frame's own defects are the shared <see cref="OrdersAspire.Shared.GrpcFrames.GrpcFrameDefects"/>.
/// </summary>
public static class RequestDefects
{
    /// <summary>Protobuf's first sentence names the defect; the rest is advice for whoever configures the parser.</summary>
    public static Status Unparseable(string messageType, InvalidProtocolBufferException exception) =>
        new(StatusCode.InvalidArgument, $"The request message could not be parsed as {messageType}: {FirstSentence(exception.Message)}");

    private static string FirstSentence(string text) =>
        text.IndexOf(". ", StringComparison.Ordinal) is var end and >= 0 ? text[..(end + 1)] : text;
}
