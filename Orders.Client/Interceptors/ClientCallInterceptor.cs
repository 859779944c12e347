using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrdersAspire.Shared;

namespace Orders.Client.Interceptors;

/// <summary>
/// Every outbound call: applies the default deadline when the caller set none, stamps an <c>x-request-id</c>,
/// and — when the call really ends (for streams: the end of the response stream) — logs and measures the outcome.
/// </summary>
public sealed class ClientCallInterceptor(
    IOptions<ClientCallOptions> options,
    ClientCallMetrics metrics,
    ILogger<ClientCallInterceptor> logger) : Interceptor
{
    private const string DisposedStatusDetail = "Call disposed before it completed.";

    // Parsed once: the setting is text (written like --deadline), and every call without a deadline of its own needs it.
    private readonly TimeSpan defaultDeadline = options.Value.DefaultDeadlineSpan;

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var tracker = Prepare(ref context);
        tracker.MessageSent();
        try
        {
            var response = ClientCallBudget.Starting(tracker.DeadlineBudget, () => continuation(request, context));
            tracker.MessageReceived();
            tracker.End(Status.DefaultSuccess);
            return response;
        }
        catch (RpcException ex)
        {
            tracker.End(ex.Status);
            throw;
        }
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var tracker = Prepare(ref context);
        var call = ClientCallBudget.Starting(tracker.DeadlineBudget, () => continuation(request, context));
        tracker.MessageSent();
        return new AsyncUnaryCall<TResponse>(
            tracker.TrackResponse(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, DisposeAction(call.Dispose, tracker));
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var tracker = Prepare(ref context);
        var call = ClientCallBudget.Starting(tracker.DeadlineBudget, () => continuation(context));
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            new TrackedRequestStream<TRequest>(call.RequestStream, tracker),
            tracker.TrackResponse(call.ResponseAsync),
            call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, DisposeAction(call.Dispose, tracker));
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var tracker = Prepare(ref context);
        var call = ClientCallBudget.Starting(tracker.DeadlineBudget, () => continuation(request, context));
        tracker.MessageSent();
        return new AsyncServerStreamingCall<TResponse>(
            new TrackedResponseStream<TResponse>(call.ResponseStream, tracker, call.GetStatus),
            call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, DisposeAction(call.Dispose, tracker));
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var tracker = Prepare(ref context);
        var call = ClientCallBudget.Starting(tracker.DeadlineBudget, () => continuation(context));
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new TrackedRequestStream<TRequest>(call.RequestStream, tracker),
            new TrackedResponseStream<TResponse>(call.ResponseStream, tracker, call.GetStatus),
            call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, DisposeAction(call.Dispose, tracker));
    }

    // Disposing a call that has not ended cancels it; without this the outcome of an abandoned stream would never be logged.
    private static Action DisposeAction(Action dispose, ClientCallTracker tracker) => () =>
    {
        dispose();
        tracker.End(new Status(StatusCode.Cancelled, DisposedStatusDetail));
    };

    private ClientCallTracker Prepare<TRequest, TResponse>(ref ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var now = DateTime.UtcNow;
        var deadline = context.Options.Deadline ?? now + defaultDeadline;

        // Copied, never mutated: a caller may reuse one Metadata instance for several calls.
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            headers.Add(entry);
        }

        var requestId = headers.GetValue(OrdersHeaders.RequestId);
        if (string.IsNullOrEmpty(requestId))
        {
            requestId = Guid.NewGuid().ToString("N");
            headers.Add(OrdersHeaders.RequestId, requestId);
        }

        context = new ClientInterceptorContext<TRequest, TResponse>(
            context.Method, context.Host, context.Options.WithDeadline(deadline).WithHeaders(headers));

        return new ClientCallTracker(context.Method, deadline - now, requestId, headers, metrics, logger);
    }
}
