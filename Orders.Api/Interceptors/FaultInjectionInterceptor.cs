using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using Orders.Api.Options;
using Orders.Api.Services;
using OrdersAspire.Shared;

namespace Orders.Api.Interceptors;

/// <summary>
/// Demo/test fault: <c>x-orders-delay-ms: N</c> (<see cref="OrdersHeaders.DelayMs"/>) delays the handler by N ms, cancellably.
/// Registered only when <c>Orders:FaultInjection:Enabled</c> is true (<see cref="FaultInjection"/>), inside the telemetry
/// interceptor so the delay is part of the call.
/// </summary>
public sealed class FaultInjectionInterceptor(IOptions<OrdersOptions> options, TimeProvider timeProvider) : Interceptor
{
    private readonly FaultInjectionOptions settings = options.Value.FaultInjection;

    // Without a delay (every call in production) the handler runs directly: no async step of its own per call.
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var delay = DelayAsync(context);
        return delay.IsCompletedSuccessfully ? continuation(request, context) : Delayed(delay, request, context, continuation);

        static async Task<TResponse> Delayed(Task delay, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            await delay;
            return await continuation(request, context);
        }
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var delay = DelayAsync(context);
        return delay.IsCompletedSuccessfully ? continuation(requestStream, context) : Delayed(delay, requestStream, context, continuation);

        static async Task<TResponse> Delayed(
            Task delay, IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
        {
            await delay;
            return await continuation(requestStream, context);
        }
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var delay = DelayAsync(context);
        return delay.IsCompletedSuccessfully ? continuation(request, responseStream, context) : Delayed(delay, request, responseStream, context, continuation);

        static async Task Delayed(
            Task delay, TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        {
            await delay;
            await continuation(request, responseStream, context);
        }
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var delay = DelayAsync(context);
        return delay.IsCompletedSuccessfully
            ? continuation(requestStream, responseStream, context)
            : Delayed(delay, requestStream, responseStream, context, continuation);

        static async Task Delayed(
            Task delay, IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
            DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        {
            await delay;
            await continuation(requestStream, responseStream, context);
        }
    }

    private Task DelayAsync(ServerCallContext context)
    {
        var header = CallHeader.Value(context, OrdersHeaders.DelayMs);
        if (header is null)
        {
            return Task.CompletedTask;
        }

        if (!int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var delayMs) || delayMs > settings.MaxDelayMs)
        {
            RpcErrors.ThrowInvalidArgument(
                $"Invalid {OrdersHeaders.DelayMs} header.",
                [RpcErrors.Violation(OrdersHeaders.DelayMs, $"Must be a whole number of milliseconds from 0 to {settings.MaxDelayMs}.")]);
        }

        return Task.Delay(TimeSpan.FromMilliseconds(delayMs), timeProvider, context.CancellationToken);
    }
}
