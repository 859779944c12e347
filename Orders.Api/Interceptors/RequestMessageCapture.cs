using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using Orders.Api.Options;
using OrdersAspire.Shared;

namespace Orders.Api.Interceptors;

/// <summary>
/// Records one call's request messages on its server span, each as protobuf JSON in an event, within
/// <see cref="TelemetryOptions"/>' caps. It exists only while capture is on and the span is recorded, so no other call
/// formats a message. Once a message is left out, the later ones are too: a recorded sequence is always a prefix.
/// </summary>
internal sealed class RequestMessageCapture(Activity span, TelemetryOptions options)
{
    private int captured;
    private int capturedBytes;
    private int leftOut;

    /// <summary>Called with the messages in the order the handler received them (a request stream is read by one reader).</summary>
    public void Record(object? message)
    {
        if (leftOut > 0 || captured >= options.MaxCapturedMessages || message is not IMessage protobuf)
        {
            leftOut++;
            return;
        }

        var json = PrintableText.EscapeJson(JsonFormatter.Default.Format(protobuf));
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (capturedBytes + bytes > options.MaxCapturedBytes)
        {
            leftOut++;
            return;
        }

        captured++;
        capturedBytes += bytes;
        span.AddEvent(new ActivityEvent(RpcSemanticConventions.RequestMessageEvent, tags: new ActivityTagsCollection
        {
            [RpcSemanticConventions.MessageId] = captured,
            [RpcSemanticConventions.MessageJson] = json,
        }));
    }

    /// <summary>The call's tally: how many were recorded and, when a cap was hit, how many were not.</summary>
    public void Complete()
    {
        span.SetTag(RpcSemanticConventions.MessagesCaptured, captured);
        if (leftOut > 0)
        {
            span.SetTag(RpcSemanticConventions.MessagesCapped, true);
            span.SetTag(RpcSemanticConventions.MessagesLeftOut, leftOut);
        }
    }
}
