using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Orders.Api.Options;
using OrdersAspire.Shared;

namespace Orders.Api.Interceptors;

/// <summary>
/// Records on one call's server span what repeating the call takes: each request message as protobuf JSON in an event,
/// within <see cref="TelemetryOptions"/>' caps, the address the client called and the delay it asked for. It exists
/// only while capture is on and the span is recorded, so no other call formats a message. Once a message is left out,
/// the later ones are too: a recorded sequence is always a prefix of the request.
/// </summary>
internal sealed class RequestMessageCapture
{
    private readonly Activity span;
    private readonly TelemetryOptions options;
    private int captured;
    private int capturedBytes;
    private int leftOut;

    public RequestMessageCapture(Activity span, ServerCallContext context, TelemetryOptions options)
    {
        this.span = span;
        this.options = options;
        // As the client addressed the service (its :authority), which a repeated call from outside needs too.
        var request = context.GetHttpContext().Request;
        span.SetTag(RpcSemanticConventions.ServerAddress, PrintableText.Escape(request.Host.Host));
        span.SetTag(RpcSemanticConventions.ServerPort, request.Host.Port);
        span.SetTag(RpcSemanticConventions.UrlScheme, request.Scheme);
        // The one allow-listed header besides x-request-id (already on the span) that changes what a repeated call does.
        span.SetTag(RpcSemanticConventions.DelayMetadata, PrintableText.Escape(CallHeader.Value(context, OrdersHeaders.DelayMs)));
    }

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
