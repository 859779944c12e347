using System.Diagnostics;
using System.Net;
using Orders.Client.Interceptors;
using OrdersAspire.Shared;

namespace Orders.Client.Hosting;

/// <summary>
/// Tags the gRPC client span with where its request really went, with its <c>x-request-id</c> and with the
/// deadline budget the interceptor gave the call (<c>rpc.grpc.deadline_ms</c>). It sits inside the
/// service-discovery handler and after the balancer's pick, so it sees the resolved address (127.0.0.1:50051), not the
/// logical one the channel was given (orders-api:80), which Grpc.Net.Client's instrumentation records at the call's start.
/// </summary>
internal sealed class ClientSpanTagsHandler : DelegatingHandler
{
    /// <summary>The operation name of Grpc.Net.Client's call activity, the span OpenTelemetry exports as the client span.</summary>
    private const string GrpcClientOperation = "Grpc.Net.Client.GrpcOut";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Activity.Current is { OperationName: GrpcClientOperation, IsAllDataRequested: true } span)
        {
            Tag(span, request);
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static void Tag(Activity span, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } sentTo)
        {
            // A retry on another address passes here again: the span keeps the address of its last attempt.
            span.SetTag(RpcSemanticConventions.ServerAddress, sentTo.DnsSafeHost);
            span.SetTag(RpcSemanticConventions.ServerPort, sentTo.Port);
            if (IPAddress.TryParse(sentTo.DnsSafeHost, out _))
            {
                span.SetTag(RpcSemanticConventions.NetworkPeerAddress, sentTo.DnsSafeHost);
                span.SetTag(RpcSemanticConventions.NetworkPeerPort, sentTo.Port);
            }
        }

        if (ClientCallBudget.Milliseconds is { } budget)
        {
            span.SetTag(RpcSemanticConventions.DeadlineMs, budget);
        }

        if (request.Headers.TryGetValues(OrdersHeaders.RequestId, out var requestIds))
        {
            span.SetTag(RpcSemanticConventions.RequestId, requestIds.FirstOrDefault());
        }
    }
}
