using System.Buffers;
using System.IO.Pipelines;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Orders.Api.Interceptors;
using OrdersAspire.Shared.GrpcFrames;

namespace Orders.Api.Requests;

/// <summary>
/// The request body as grpc-dotnet reads it, each frame checked by <see cref="RequestFrameRules"/> before grpc-dotnet
/// sees it. In a request stream a bad frame fails the read the handler is waiting on, so the interceptor observes it.
/// A single-message call is read before any interceptor runs, so there the defect, or a stream reset before the message
/// ended, is set aside for the interceptor (<see cref="CallRefusal"/>) and grpc-dotnet is handed an empty message
/// instead: the call still reaches it.
/// </summary>
internal sealed class CheckedRequestBody(PipeReader inner, RequestFrameRules rules, bool singleMessage, HttpContext httpContext)
    : PipeReader, IRequestBodyPipeFeature
{
    private static readonly ReadResult EmptyMessage = new(new ReadOnlySequence<byte>(new byte[GrpcFrameRules.PrefixSize]), isCanceled: false, isCompleted: true);

    private readonly string? encoding = httpContext.Request.Headers["grpc-encoding"];
    private bool replaced;

    PipeReader IRequestBodyPipeFeature.Reader => this;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (replaced)
        {
            return EmptyMessage;
        }

        try
        {
            return await ReadCheckedAsync(cancellationToken);
        }
        catch (Exception ex) when (singleMessage && IsBrokenStream(ex))
        {
            SetRequestBroken(ex);
            return EmptyMessage;
        }
    }

    private async ValueTask<ReadResult> ReadCheckedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await inner.ReadAsync(cancellationToken);
            if (result.IsCanceled)
            {
                return result;
            }

            var check = rules.Check(result.Buffer, result.IsCompleted, singleMessage, encoding, out var defect);
            if (check == FrameCheck.Invalid)
            {
                inner.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                return Reject(defect!.Value);
            }

            if (check == FrameCheck.NeedMore && singleMessage)
            {
                // grpc-dotnet would wait for the end of the request too; it gets the request once it is known to be sound.
                inner.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                continue;
            }

            return result;
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        // Unchecked bytes must not get past: grpc-dotnet reads with ReadAsync, and "nothing buffered" is always a valid answer.
        result = replaced ? EmptyMessage : default;
        return replaced;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (replaced)
        {
            return;
        }

        try
        {
            // Kestrel fails this too once the stream is reset: after the message was handed over, before grpc-dotnet returns it.
            inner.AdvanceTo(consumed, examined);
        }
        catch (Exception ex) when (singleMessage && IsBrokenStream(ex))
        {
            SetRequestBroken(ex);
        }
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    /// <summary>
    /// The stream was reset or its connection lost; not a request Kestrel itself refused (too large, too slow), which is
    /// a <see cref="BadHttpRequestException"/> and stays grpc-dotnet's to report.
    /// </summary>
    private static bool IsBrokenStream(Exception exception) =>
        exception is (OperationCanceledException or IOException) and not BadHttpRequestException;

    /// <summary>Thrown to grpc-dotnet, the reset would end the call before any interceptor: unobserved, and an Error line with a stack trace.</summary>
    private void SetRequestBroken(Exception failure)
    {
        CallRefusal.SetRequestBroken(httpContext, failure);
        replaced = true;
    }

    private ReadResult Reject(Status defect)
    {
        if (defect.StatusCode == StatusCode.Unimplemented && !httpContext.Response.HasStarted)
        {
            httpContext.Response.Headers[GrpcFrameRules.AcceptEncodingHeader] = string.Join(",", rules.SupportedEncodings);
        }

        if (!singleMessage)
        {
            throw new RpcException(defect);
        }

        CallRefusal.Set(httpContext, defect);
        replaced = true;
        return EmptyMessage;
    }
}
