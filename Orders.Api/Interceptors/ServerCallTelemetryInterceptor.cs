using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Orders.Api.Interceptors;

/// <summary>
/// Logs, traces and measures every call of all four kinds from first to last message: the handler's task ends only
/// once its streams are done, so awaiting it times the whole call (not just the handler lookup). A call refused before
/// it got here (<see cref="CallRefusal"/>) ends here, so it is observed like any other; it must stay the outermost.
/// </summary>
public sealed class ServerCallTelemetryInterceptor(
    ILogger<ServerCallTelemetryInterceptor> logger, ServerCallMetrics metrics, TimeProvider timeProvider) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Observe(context, MethodType.Unary);
        try
        {
            CallRefusal.ThrowIfRefused(context, call);
            call.MessageReceived();
            var response = await continuation(request, context);
            call.MessageSent();
            return response;
        }
        catch (Exception ex)
        {
            throw call.Fail(ex);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Observe(context, MethodType.ClientStreaming);
        try
        {
            CallRefusal.ThrowIfRefused(context, call);
            var response = await continuation(new CountingStreamReader<TRequest>(requestStream, call), context);
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
        using var call = Observe(context, MethodType.ServerStreaming);
        try
        {
            CallRefusal.ThrowIfRefused(context, call);
            call.MessageReceived();
            await continuation(request, new CountingStreamWriter<TResponse>(responseStream, call), context);
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
        using var call = Observe(context, MethodType.DuplexStreaming);
        try
        {
            CallRefusal.ThrowIfRefused(context, call);
            await continuation(new CountingStreamReader<TRequest>(requestStream, call), new CountingStreamWriter<TResponse>(responseStream, call), context);
        }
        catch (Exception ex)
        {
            throw call.Fail(ex);
        }
    }

    private ServerCallObservation Observe(ServerCallContext context, MethodType methodType) =>
        new(context, methodType, logger, metrics, timeProvider);
}
