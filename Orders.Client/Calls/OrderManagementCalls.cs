using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orders.Client.Parsing;
using static Ecommerce.OrderManagement;

namespace Orders.Client.Calls;

/// <summary>The streaming conversations of the contract, shared by the CLI commands and the scenario.</summary>
public static class OrderManagementCalls
{
    public static async Task SearchAsync(this OrderManagementClient client, string query, CallOptions options, Action<Order> onOrder)
    {
        using var call = client.searchOrders(new StringValue { Value = query }, options);
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            onOrder(call.ResponseStream.Current);
        }
    }

    public static async Task<string> UpdateAsync(this OrderManagementClient client, IEnumerable<Order> orders, CallOptions options)
    {
        using var call = client.updateOrders(options);
        await WriteAllAsync(call.RequestStream, orders, complete: true);
        return (await call.ResponseAsync).Value;
    }

    /// <summary>
    /// Streams <paramref name="ids"/> and reads shipments. With <paramref name="cancelAfter"/> the client cancels the call
    /// itself after that many shipments or that long, which ends the call with CANCELLED. With
    /// <paramref name="keepRequestStreamOpen"/> the ids are never half-closed, so the server is still mid-conversation
    /// when the cancellation reaches it.
    /// </summary>
    public static async Task ProcessAsync(
        this OrderManagementClient client,
        IEnumerable<string> ids,
        CallOptions options,
        CancelAfter? cancelAfter,
        bool keepRequestStreamOpen,
        Action<CombinedShipment> onShipment)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        if (cancelAfter?.Duration is { } duration)
        {
            cancellation.CancelAfter(duration);
        }

        using var call = client.processOrders(options.WithCancellationToken(cancellation.Token));
        await WriteAllAsync(call.RequestStream, ids.Select(id => new StringValue { Value = id }), complete: !keepRequestStreamOpen);

        var received = 0;
        // The call owns the token: once it fires, MoveNext fails with RpcException(CANCELLED) like any other status.
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            onShipment(call.ResponseStream.Current);
            if (++received == cancelAfter?.Shipments)
            {
                await cancellation.CancelAsync();
            }
        }
    }

    /// <summary>
    /// Writes the request stream. The server may end the call before reading all of it (a refused token, a bad order):
    /// a write then fails with whatever reset the stream, so the call's own status, read next, is the outcome.
    /// </summary>
    private static async Task WriteAllAsync<T>(IClientStreamWriter<T> requests, IEnumerable<T> messages, bool complete)
    {
        try
        {
            foreach (var message in messages)
            {
                await requests.WriteAsync(message);
            }

            if (complete)
            {
                await requests.CompleteAsync();
            }
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            // Not the outcome: reading the response or its stream throws the status the call ended with.
        }
    }
}
