using Grpc.Core;
using Grpc.Core.Interceptors;
using Orders.Api.Security;

namespace Orders.Api.Interceptors;

/// <summary>
/// Ends a call the authorization middleware refused (<see cref="CallRefusal"/>) before any handler code runs. It sits
/// inside the telemetry interceptor, so the refusal is the call's logged, traced and counted status.
/// </summary>
public sealed class CallRefusalInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ThrowIfRefused(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ThrowIfRefused(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ThrowIfRefused(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ThrowIfRefused(context);
        return continuation(requestStream, responseStream, context);
    }

    private static void ThrowIfRefused(ServerCallContext context)
    {
        if (context.GetHttpContext().Features.Get<CallRefusal>() is { } refusal)
        {
            throw new RpcException(refusal.Status);
        }
    }
}
