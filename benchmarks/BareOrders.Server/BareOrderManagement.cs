using System.Collections.Concurrent;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OrdersAspire.Shared;

namespace BareOrders.Server;

/// <summary>getOrder, addOrder, deleteOrder and searchOrders done plainly on a dictionary seeded with the sample orders.</summary>
internal sealed class BareOrderManagement : OrderManagement.OrderManagementBase
{
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
}
