using System.Collections.Concurrent;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OrdersAspire.Shared;

namespace BareOrders.Server;

/// <summary>
/// The six calls done plainly on a dictionary seeded with the sample orders: no validation, no store, no telemetry; the
/// streams keep the contract's semantics (docs/contract.md) so the harness compares the same work.
/// </summary>
internal sealed class BareOrderManagement : OrderManagement.OrderManagementBase
{
    private const int ShipmentBatchSize = 3;

    private readonly ConcurrentDictionary<string, Order> orders = new(SampleOrders.All.Select(o => KeyValuePair.Create(o.Id, o.Clone())));

    public override Task<Order> getOrder(StringValue request, ServerCallContext context) =>
        orders.TryGetValue(request.Value, out var order)
            ? Task.FromResult(order)
            : throw new RpcException(new Status(StatusCode.NotFound, $"Order {request.Value} not found."));

    public override Task<StringValue> addOrder(Order request, ServerCallContext context)
    {
        var order = request.Clone();
        order.Id = Guid.NewGuid().ToString();
        orders[order.Id] = order;
        return Task.FromResult(new StringValue { Value = order.Id });
    }

    public override Task<Empty> deleteOrder(StringValue request, ServerCallContext context) =>
        orders.TryRemove(request.Value, out _)
            ? Task.FromResult(new Empty())
            : throw new RpcException(new Status(StatusCode.NotFound, $"Order {request.Value} not found."));

    public override async Task searchOrders(StringValue request, IServerStreamWriter<Order> responseStream, ServerCallContext context)
    {
        foreach (var order in orders.Values.Where(o => o.Items.Any(item => item.Contains(request.Value, StringComparison.Ordinal))))
        {
            await responseStream.WriteAsync(order);
        }
    }

    public override async Task<StringValue> updateOrders(IAsyncStreamReader<Order> requestStream, ServerCallContext context)
    {
        // All or nothing, as the contract says: stored only once the stream has ended.
        var received = new List<Order>();
        await foreach (var order in requestStream.ReadAllAsync(context.CancellationToken))
        {
            received.Add(order);
        }

        foreach (var order in received)
        {
            orders[order.Id] = order;
        }

        return new StringValue { Value = "Updated IDs: " + string.Join(' ', received.Select(order => order.Id)) };
    }

    public override async Task processOrders(IAsyncStreamReader<StringValue> requestStream, IServerStreamWriter<CombinedShipment> responseStream, ServerCallContext context)
    {
        var pending = new List<CombinedShipment>();
        var found = 0;
        await foreach (var id in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (!orders.TryGetValue(id.Value, out var order))
            {
                await responseStream.WriteAsync(new CombinedShipment { Id = Guid.NewGuid().ToString("N"), Status = "NOT_FOUND", OrdersList = { new Order { Id = id.Value } } });
                continue;
            }

            var shipment = pending.Find(s => s.OrdersList[0].Destination == order.Destination);
            if (shipment is null)
            {
                shipment = new CombinedShipment { Id = Guid.NewGuid().ToString("N"), Status = "PROCESSED" };
                pending.Add(shipment);
            }

            shipment.OrdersList.Add(order);
            if (++found % ShipmentBatchSize == 0)
            {
                await FlushAsync(pending, responseStream);
            }
        }

        await FlushAsync(pending, responseStream);
    }

    private static async Task FlushAsync(List<CombinedShipment> pending, IServerStreamWriter<CombinedShipment> responseStream)
    {
        foreach (var shipment in pending)
        {
            await responseStream.WriteAsync(shipment);
        }

        pending.Clear();
    }
}
