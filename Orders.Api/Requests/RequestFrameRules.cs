using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using OrdersAspire.Shared.GrpcFrames;

namespace Orders.Api.Requests;

/// <summary>
/// A request frame as grpc-dotnet would read it for one method: the frame itself by the shared <see cref="GrpcFrameRules"/>,
/// then its message parsed as the method's request type (which also rejects strings that are not UTF-8).
/// </summary>
internal sealed class RequestFrameRules(MessageDescriptor requestType, GrpcFrameRules frames)
{
    public IEnumerable<string> SupportedEncodings => frames.SupportedEncodings;

    /// <inheritdoc cref="GrpcFrameRules.Check"/>
    public FrameCheck Check(in ReadOnlySequence<byte> buffer, bool isCompleted, bool singleMessage, string? encoding, out Status? defect)
    {
        var check = frames.Check(buffer, isCompleted, singleMessage, encoding, out defect, out var message);
        if (check != FrameCheck.Valid)
        {
            return check;
        }

        try
        {
            requestType.Parser.ParseFrom(message);
        }
        catch (InvalidProtocolBufferException ex)
        {
            defect = RequestDefects.Unparseable(requestType.FullName, ex);
            return FrameCheck.Invalid;
        }

        return FrameCheck.Valid;
    }
}
