using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using Orders.Api.Options;

namespace Orders.Api.Interceptors;

/// <summary>
/// Tracks every call of all four kinds from first to last message in a <see cref="ServerCallTracker"/>: the handler's
/// task ends only once its streams are done, so awaiting it times the whole call (not just the handler lookup). Whatever
/// ends the call ends inside the tracking, so it is logged, traced and counted like any other outcome: a refusal kept
/// by <see cref="CallRefusal"/> (before the request message is counted), or the handler's failure, whose status
/// <see cref="RpcExceptionMapper"/> decides. It must stay the outermost interceptor.
/// </summary>
public sealed class ServerCallTrackingInterceptor(
    ILogger<ServerCallTrackingInterceptor> logger, ServerCallMetrics metrics, TimeProvider timeProvider, IOptions<OrdersOptions> options)
    : Interceptor
{
    private readonly ServerCallServices services = new(logger, metrics, timeProvider, options.Value.Telemetry);

    // A handler that answers at once (a point read) is tracked to its end here: the call makes no task of this method's own.
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var call = Track(context, MethodType.Unary);
        Task<TResponse> response;
        try
        {
            CallRefusal.ThrowIfRefused(context, call);
            call.StartCapture();
            call.MessageReceived();
            call.CaptureRequest(request);
            response = continuation(request, context);
        }
        catch (Exception ex)
        {
            return Failed<TResponse>(call, ex);
        }

        if (!response.IsCompletedSuccessfully)
        {
            return Answered(call, response);
        }

        call.MessageSent();
        call.Dispose();
        return response;

        static async Task<TResponse> Answered(ServerCallTracker call, Task<TResponse> response)
        {
            using (call)
            {
                try
                {
                    var message = await response;
                    call.MessageSent();
                    return message;
                }
                catch (Exception ex)
                {
                    throw call.Fail(ex);
                }
            }
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Track(context, MethodType.ClientStreaming);
        try
        {
            CallRefusal.ThrowIfRefused(context, call);
            call.StartCapture();
            var response = await continuation(new TrackedRequestStream<TRequest>(requestStream, call), context);
            call.MessageSent();
            return response;
        }
        catch (Exception ex)
        {
            throw call.Fail(ex);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Track(context, MethodType.ServerStreaming);
        try
        {
            CallRefusal.ThrowIfRefused(context, call);
            call.StartCapture();
            call.MessageReceived();
            call.CaptureRequest(request);
            await continuation(request, new TrackedResponseStream<TResponse>(responseStream, call), context);
        }
        catch (Exception ex)
        {
            throw call.Fail(ex);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Track(context, MethodType.DuplexStreaming);
        try
        {
            CallRefusal.ThrowIfRefused(context, call);
            call.StartCapture();
            await continuation(new TrackedRequestStream<TRequest>(requestStream, call), new TrackedResponseStream<TResponse>(responseStream, call), context);
        }
        catch (Exception ex)
        {
            throw call.Fail(ex);
        }
    }

    /// <summary>Ends the call with the status its failure maps to, as the other call types' <c>throw call.Fail(ex)</c> does.</summary>
    private static Task<TResponse> Failed<TResponse>(ServerCallTracker call, Exception exception)
    {
        using (call)
        {
            return Task.FromException<TResponse>(call.Fail(exception));
        }
    }

    private ServerCallTracker Track(ServerCallContext context, MethodType methodType) => new(context, methodType, services);
}
