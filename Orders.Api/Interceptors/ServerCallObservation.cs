using System.Diagnostics;
using Grpc.Core;

namespace Orders.Api.Interceptors;

/// <summary>
/// One server call as the interceptor sees it: its span, clock, message counts and outcome.
/// Disposing it ends the call: final tags, metrics and the end log line.
/// </summary>
public sealed class ServerCallObservation : IDisposable
{
    private static readonly HashSet<StatusCode> ServerFaults =
        [StatusCode.Unknown, StatusCode.DeadlineExceeded, StatusCode.Unimplemented, StatusCode.Internal, StatusCode.Unavailable, StatusCode.DataLoss];

    private readonly ServerCallContext context;
    private readonly ILogger logger;
    private readonly ServerCallMetrics metrics;
    private readonly TimeProvider timeProvider;
    private readonly long startTimestamp;
    private readonly Activity? activity;
    private int received;
    private int sent;
    private Status? failure;
    private Exception? unexpected;
    private bool handlerCancelled;

    internal ServerCallObservation(
        ServerCallContext context, MethodType methodType, ILogger logger, ServerCallMetrics metrics, TimeProvider timeProvider)
    {
        this.context = context;
        this.logger = logger;
        this.metrics = metrics;
        this.timeProvider = timeProvider;
        startTimestamp = timeProvider.GetTimestamp();

        // Wire method "/ecommerce.OrderManagement/getOrder" → "ecommerce.OrderManagement/getOrder" and its service.
        FullMethod = context.Method.TrimStart('/');
        var slash = FullMethod.LastIndexOf('/');
        Service = slash < 0 ? "" : FullMethod[..slash];
        CallType = Interceptors.CallType.Of(methodType);
        RequestId = context.RequestHeaders.GetValue(ServerTelemetry.RequestIdHeader);
        DeadlineRemainingMs = context.Deadline == DateTime.MaxValue
            ? null
            : (context.Deadline - timeProvider.GetUtcNow().UtcDateTime).TotalMilliseconds;

        activity = ServerTelemetry.ActivitySource.StartActivity(FullMethod, ActivityKind.Server);
        if (activity is { IsAllDataRequested: true })
        {
            foreach (var tag in IdentityTags(includeStatus: false))
            {
                activity.SetTag(tag.Key, tag.Value);
            }

            activity.SetTag(ServerTelemetry.CallType, CallType);
            activity.SetTag(ServerTelemetry.DeadlineMs, DeadlineRemainingMs);
            activity.SetTag(ServerTelemetry.RequestId, RequestId);
        }

        // Logged inside the activity so the line carries the call's trace and span ids.
        if (logger.IsEnabled(LogLevel.Information))
        {
            var metadata = MetadataRedactor.Format(context.RequestHeaders);
            ServerCallLog.CallStarted(logger, FullMethod, CallType, context.Peer, DeadlineRemainingMs, RequestId, metadata);
        }
    }

    public string FullMethod { get; }

    public string Service { get; }

    public string CallType { get; }

    public string? RequestId { get; }

    public double? DeadlineRemainingMs { get; }

    public int Received => Volatile.Read(ref received);

    public int Sent => Volatile.Read(ref sent);

    public StatusCode StatusCode => (failure ?? context.Status).StatusCode;

    public void MessageReceived() => Interlocked.Increment(ref received);

    public void MessageSent() => Interlocked.Increment(ref sent);

    /// <summary>Records why the handler failed and returns the exception to throw to the framework.</summary>
    public RpcException Fail(Exception exception)
    {
        handlerCancelled = RpcExceptionMapper.IsCancellation(exception, context);
        var rpc = RpcExceptionMapper.ToRpcException(exception, context, timeProvider.GetUtcNow().UtcDateTime);
        failure = rpc.Status;
        if (!handlerCancelled && exception is not RpcException)
        {
            unexpected = exception;
            activity?.AddException(exception);
        }

        return rpc;
    }

    /// <summary>The attributes naming the call (and its outcome), shared by the span and the metrics.</summary>
    public IEnumerable<KeyValuePair<string, object?>> IdentityTags(bool includeStatus)
    {
        yield return new(ServerTelemetry.RpcSystemName, "grpc");
        yield return new(ServerTelemetry.RpcMethod, FullMethod);
        yield return new(ServerTelemetry.RpcSystem, "grpc");
        yield return new(ServerTelemetry.RpcService, Service);
        if (includeStatus)
        {
            yield return new(ServerTelemetry.ResponseStatusCode, StatusCodeName(StatusCode));
            yield return new(ServerTelemetry.GrpcStatusCode, (int)StatusCode);
            if (StatusCode != StatusCode.OK)
            {
                yield return new(ServerTelemetry.ErrorType, StatusCodeName(StatusCode));
            }
        }
    }

    public void Dispose()
    {
        var elapsed = timeProvider.GetElapsedTime(startTimestamp);
        var status = failure ?? context.Status;
        if (activity is not null)
        {
            foreach (var tag in IdentityTags(includeStatus: true))
            {
                activity.SetTag(tag.Key, tag.Value);
            }

            activity.SetTag(ServerTelemetry.MessagesReceived, Received);
            activity.SetTag(ServerTelemetry.MessagesSent, Sent);
            if (handlerCancelled)
            {
                activity.SetTag(ServerTelemetry.HandlerCancelled, true);
            }

            if (status.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded)
            {
                activity.AddEvent(new ActivityEvent(ServerTelemetry.CancelledEvent, tags: new ActivityTagsCollection
                {
                    [ServerTelemetry.MessagesReceived] = Received,
                    [ServerTelemetry.MessagesSent] = Sent,
                }));
            }

            if (ServerFaults.Contains(status.StatusCode))
            {
                activity.SetStatus(ActivityStatusCode.Error, status.Detail);
            }
        }

        metrics.Record(this, elapsed);
        var level = status.StatusCode == StatusCode.OK ? LogLevel.Information
            : unexpected is not null ? LogLevel.Error
            : LogLevel.Warning;
        if (logger.IsEnabled(level))
        {
            var statusCode = StatusCodeName(status.StatusCode);
            ServerCallLog.CallEnded(
                logger, level, unexpected, FullMethod, CallType, statusCode, status.Detail,
                elapsed.TotalMilliseconds, Received, Sent, handlerCancelled, RequestId);
        }

        activity?.Dispose();
    }

    /// <summary>"NOT_FOUND" style names, as in the gRPC spec and rpc.response.status_code.</summary>
    public static string StatusCodeName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
