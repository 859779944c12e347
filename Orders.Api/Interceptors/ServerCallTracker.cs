using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using OrdersAspire.Shared;

namespace Orders.Api.Interceptors;

/// <summary>
/// One server call's tracking, from first to last message: its span, clock, message counts and outcome. Its span is
/// ASP.NET Core's request span, which it names and tags as the call's (ASP.NET Core ends it once the response is sent).
/// Disposing it ends the call: final tags, metrics and the end log line (docs/telemetry.md).
/// </summary>
public sealed class ServerCallTracker : IDisposable
{
    private static readonly HashSet<StatusCode> ServerFaults =
        [StatusCode.Unknown, StatusCode.DeadlineExceeded, StatusCode.Unimplemented, StatusCode.Internal, StatusCode.Unavailable, StatusCode.DataLoss];

    // Most calls count a few messages each way: those counts are boxed for the span once, not per call.
    private static readonly object[] SmallCounts = [.. Enumerable.Range(0, 16).Select(count => (object)count)];

    // Every call allocates one of these: its fields are what differs per call, the services are one shared reference.
    private readonly ServerCallContext context;
    private readonly ServerCallServices services;
    private readonly Activity? activity;
    private readonly long startTimestamp;
    private readonly MethodType methodType;
    private RequestMessageCapture? capture;
    private int received;
    private int sent;
    private int streamBroken;
    private RpcException? failure;
    private Exception? unexpected;
    private bool handlerCancelled;

    internal ServerCallTracker(ServerCallContext context, MethodType methodType, ServerCallServices services)
    {
        this.context = context;
        this.methodType = methodType;
        this.services = services;
        var timeProvider = services.TimeProvider;
        startTimestamp = timeProvider.GetTimestamp();

        // Printable from here on: it goes to every log line and the span as it is.
        RequestId = PrintableText.Escape(CallHeader.Value(context, OrdersHeaders.RequestId));
        // A timeout of zero ticks is no deadline to grpc-dotnet, and a deadline of 0 ms to the caller (ArrivalDeadline).
        DeadlineRemainingMs = context.Deadline != DateTime.MaxValue ? (context.Deadline - timeProvider.GetUtcNow().UtcDateTime).TotalMilliseconds
            : ArrivalDeadline.IsZero(context.GetHttpContext()) ? 0
            : null;

        // The call's one server span is ASP.NET Core's request span, made the call's: named and tagged as an RPC.
        // Added, not set: none of these is on the span yet, and setting would search its tags for each.
        activity = RecordedRequestActivity(context.GetHttpContext());
        if (activity is not null)
        {
            activity.DisplayName = FullMethod;
            foreach (var tag in RpcSemanticConventions.CallIdentity(WireMethod, services.NewerRpcNames))
            {
                activity.AddTag(tag.Key, tag.Value);
            }

            activity.AddTag(RpcSemanticConventions.CallType, CallType);
            if (DeadlineRemainingMs is { } deadlineMs)
            {
                activity.AddTag(RpcSemanticConventions.DeadlineMs, deadlineMs);
            }

            if (RequestId is not null)
            {
                activity.AddTag(RpcSemanticConventions.RequestId, RequestId);
            }
        }

        // Logged inside the request's activity, so the line carries the call's trace and span ids.
        if (services.Logger.IsEnabled(LogLevel.Trace))
        {
            var metadata = MetadataRedactor.Format(context.RequestHeaders);
            var deadline = ServerCallLog.Deadline(DeadlineRemainingMs);
            ServerCallLog.CallStarted(services.Logger, FullMethod, CallType, context.Peer, deadline, RequestId, metadata);
        }
    }

    /// <summary>"/ecommerce.OrderManagement/getOrder", as on the wire.</summary>
    public string WireMethod => context.Method;

    /// <summary>"ecommerce.OrderManagement/getOrder": the span name and the RpcMethod log field.</summary>
    public string FullMethod => RpcSemanticConventions.SpanName(context.Method);

    public string CallType => RpcCallTypes.Of(methodType);

    public string? RequestId { get; }

    public double? DeadlineRemainingMs { get; }

    public int Received => Volatile.Read(ref received);

    public int Sent => Volatile.Read(ref sent);

    public StatusCode StatusCode => failure?.StatusCode ?? context.Status.StatusCode;

    public void MessageReceived() => Interlocked.Increment(ref received);

    public void MessageSent() => Interlocked.Increment(ref sent);

    /// <summary>
    /// The call passed its refusals, so its request is what the handler gets: from here its messages are recorded, when
    /// Orders:Telemetry:CaptureMessages is on and the span is. A refused call records none, so no line repeats it as empty.
    /// </summary>
    public void StartCapture()
    {
        if (services.Telemetry.CaptureMessages && activity is not null)
        {
            capture = new RequestMessageCapture(activity, context, services.Telemetry);
        }
    }

    /// <summary>Records a request message on the span once <see cref="StartCapture"/> began recording; nothing otherwise.</summary>
    public void CaptureRequest<TRequest>(TRequest message) => capture?.Record(message);

    /// <summary>
    /// The request or response stream failed under the handler: the peer reset the stream or the connection went away.
    /// Kestrel fails the stream at once but cancels the call's token later, on another thread, so this is the sure sign.
    /// </summary>
    public void StreamBroken() => Volatile.Write(ref streamBroken, 1);

    /// <summary>Records why the handler failed and returns the exception to throw to the framework.</summary>
    public RpcException Fail(Exception exception)
    {
        var peerGone = Volatile.Read(ref streamBroken) == 1;
        handlerCancelled = RpcExceptionMapper.IsCancellation(exception, context, peerGone);
        var rpc = RpcExceptionMapper.ToRpcException(exception, context, peerGone, services.TimeProvider.GetUtcNow().UtcDateTime);
        failure = rpc;
        if (!handlerCancelled && RpcExceptionMapper.IsUnexpected(exception))
        {
            unexpected = exception;
            activity?.AddException(exception);
        }

        return rpc;
    }

    public void Dispose()
    {
        var elapsed = services.TimeProvider.GetElapsedTime(startTimestamp);
        if (failure is null && context.Status.StatusCode == StatusCode.OK && (Volatile.Read(ref streamBroken) == 1 || context.CancellationToken.IsCancellationRequested))
        {
            // The handler finished, but the stream was reset before grpc-dotnet sent its answer: the client got none.
            failure = RpcExceptionMapper.ToRpcException(new OperationCanceledException(), context, streamBroken: true, services.TimeProvider.GetUtcNow().UtcDateTime);
        }

        var status = failure?.Status ?? context.Status;
        if (activity is not null)
        {
            RecordOutcome(activity, status, services.NewerRpcNames);
            activity.AddTag(RpcSemanticConventions.MessagesReceived, Boxed(Received));
            activity.AddTag(RpcSemanticConventions.MessagesSent, Boxed(Sent));
            capture?.Complete();
            if (handlerCancelled)
            {
                activity.AddTag(RpcSemanticConventions.HandlerCancelled, true);
            }

            if (status.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded)
            {
                activity.AddEvent(new ActivityEvent(RpcSemanticConventions.CancelledEvent, tags: new ActivityTagsCollection
                {
                    [RpcSemanticConventions.MessagesReceived] = Received,
                    [RpcSemanticConventions.MessagesSent] = Sent,
                }));
            }
        }

        services.Metrics.Record(this, elapsed);
        var level = status.StatusCode == StatusCode.OK ? LogLevel.Debug
            : unexpected is not null ? LogLevel.Error
            : LogLevel.Warning;
        var logger = services.Logger;
        if (logger.IsEnabled(level))
        {
            var statusCode = GrpcStatusNames.Of((int)status.StatusCode);
            var detail = PrintableText.Escape(status.Detail ?? "");
            var elapsedMs = elapsed.TotalMilliseconds;
            var deadline = ServerCallLog.Deadline(DeadlineRemainingMs);
            if (handlerCancelled)
            {
                ServerCallLog.CallCancelled(
                    logger, level, FullMethod, CallType, statusCode, detail, elapsedMs, deadline, Received, Sent, RequestId);
            }
            else if (detail.Length == 0)
            {
                ServerCallLog.CallEnded(
                    logger, level, unexpected, FullMethod, CallType, statusCode, elapsedMs, deadline, Received, Sent, RequestId);
            }
            else
            {
                ServerCallLog.CallFailed(
                    logger, level, unexpected, FullMethod, CallType, statusCode, detail, elapsedMs, deadline, Received, Sent, RequestId);
            }
        }
    }

    /// <summary>
    /// The request's Activity when something records it, else null. ASP.NET Core starts one for its log scopes even
    /// when nothing traces (a plain <c>new Activity()</c>, which asks for all data, from no listened-to source); tagging
    /// that one would cost every call with telemetry off and show nowhere.
    /// </summary>
    private static Activity? RecordedRequestActivity(HttpContext httpContext) =>
        httpContext.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } request && request.Source.HasListeners()
            ? request
            : null;

    private static object Boxed(int count) => (uint)count < (uint)SmallCounts.Length ? SmallCounts[count] : count;

    /// <summary>The status as attributes, and an error status when it is a server fault (not the caller's problem).</summary>
    private static void RecordOutcome(Activity span, Status status, bool newerNames)
    {
        foreach (var tag in RpcSemanticConventions.CallOutcome((int)status.StatusCode, newerNames))
        {
            span.AddTag(tag.Key, tag.Value);
        }

        if (ServerFaults.Contains(status.StatusCode))
        {
            span.SetStatus(ActivityStatusCode.Error, PrintableText.Escape(status.Detail));
        }
    }
}
