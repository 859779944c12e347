using System.Diagnostics;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Orders.Api.Options;
using Orders.Api.Storage;
using OrdersAspire.Shared;

namespace Orders.Api.Services;

/// <summary>The ecommerce.OrderManagement contract (docs/contract.md). Failures not raised here are mapped by the interceptor.</summary>
public sealed partial class OrderManagementService(
    IOrderStore store,
    OrderValidator validator,
    IOptions<OrdersOptions> options,
    ILogger<OrderManagementService> logger) : OrderManagement.OrderManagementBase
{
    private const int SearchFlushEvery = 64;

    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint);

    [Authorize(Policy = OrdersScopes.Write)]
    public override async Task<StringValue> addOrder(Order request, ServerCallContext context)
    {
        validator.ValidateNewOrder(request);
        var id = await store.AddAsync(request, context.CancellationToken);
        LogOrderAdded(logger, id);
        return new StringValue { Value = id };
    }

    [Authorize(Policy = OrdersScopes.Read)]
    public override async Task<Order> getOrder(StringValue request, ServerCallContext context)
    {
        validator.ValidateId(request.Value, "id");
        var order = await store.GetAsync(request.Value, context.CancellationToken);
        if (order is null)
        {
            RpcErrors.ThrowOrderNotFound(request.Value, $"Order {PrintableText.Escape(request.Value)} not found.");
        }

        return order;
    }

    [Authorize(Policy = OrdersScopes.Read)]
    public override async Task searchOrders(StringValue request, IServerStreamWriter<Order> responseStream, ServerCallContext context)
    {
        validator.ValidateQuery(request.Value);
        var written = 0;
        await foreach (var order in store.SearchAsync(request.Value, context.CancellationToken))
        {
            // A flush per message is a socket write per order: the first match leaves at once, then one flush per
            // SearchFlushEvery orders, and the end of the call flushes the rest.
            responseStream.WriteOptions = written++ % SearchFlushEvery == 0 ? null : BufferedWrite;
            await responseStream.WriteAsync(order, context.CancellationToken);
        }
    }

    [Authorize(Policy = OrdersScopes.Write)]
    public override async Task<StringValue> updateOrders(IAsyncStreamReader<Order> requestStream, ServerCallContext context)
    {
        // Buffered, then written in one transaction: a failed or cancelled call leaves the store untouched.
        var orders = new List<Order>();
        await foreach (var order in requestStream.ReadAllAsync(context.CancellationToken))
        {
            validator.ValidateUpdate(order, orders.Count);
            orders.Add(order);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var printableId = PrintableText.Escape(order.Id);
                LogOrderBuffered(logger, printableId, orders.Count);
            }
        }

        await store.UpsertAllAsync(orders, context.CancellationToken);
        return new StringValue { Value = "Updated IDs: " + string.Join(' ', orders.Select(order => order.Id)) };
    }

    [Authorize(Policy = OrdersScopes.Write)]
    public override async Task processOrders(
        IAsyncStreamReader<StringValue> requestStream, IServerStreamWriter<CombinedShipment> responseStream, ServerCallContext context)
    {
        var batch = new ShipmentBatch(options.Value.Processing.BatchSize);
        await foreach (var orderId in requestStream.ReadAllAsync(context.CancellationToken))
        {
            validator.ValidateProcessedId(orderId.Value);
            var order = OrderValidator.IsStorable(orderId.Value) ? await store.GetAsync(orderId.Value, context.CancellationToken) : null;
            if (order is null)
            {
                // An unknown id is answered in-band so the rest of the stream is still processed.
                var printableId = PrintableText.Escape(orderId.Value);
                LogProcessOrderNotFound(logger, printableId);
                Activity.Current?.AddEvent(new ActivityEvent(RpcSemanticConventions.OrderNotFoundEvent, tags: new ActivityTagsCollection { [RpcSemanticConventions.OrderId] = printableId }));
                await responseStream.WriteAsync(ShipmentBatch.NotFound(orderId.Value), context.CancellationToken);
            }
            else if (batch.Add(order))
            {
                await FlushAsync(batch, responseStream, context.CancellationToken);
            }
        }

        await FlushAsync(batch, responseStream, context.CancellationToken);
    }

    [Authorize(Policy = OrdersScopes.Write)]
    public override async Task<Empty> deleteOrder(StringValue request, ServerCallContext context)
    {
        validator.ValidateId(request.Value, "id");
        if (!await store.DeleteAsync(request.Value, context.CancellationToken))
        {
            RpcErrors.ThrowOrderNotFound(request.Value, $"Order with ID {PrintableText.Escape(request.Value)} not found");
        }

        return new Empty();
    }

    private static async Task FlushAsync(ShipmentBatch batch, IServerStreamWriter<CombinedShipment> responseStream, CancellationToken cancellationToken)
    {
        foreach (var shipment in batch.Drain())
        {
            await responseStream.WriteAsync(shipment, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 10, EventName = "OrderAdded", Level = LogLevel.Debug, Message = "Order {OrderId} added")]
    private static partial void LogOrderAdded(ILogger logger, string orderId);

    [LoggerMessage(EventId = 11, EventName = "OrderBuffered", Level = LogLevel.Debug, Message = "updateOrders: order {OrderId} buffered ({BufferedCount} so far); stored when the stream completes")]
    private static partial void LogOrderBuffered(ILogger logger, string orderId, int bufferedCount);

    [LoggerMessage(EventId = 12, EventName = "ProcessOrderNotFound", Level = LogLevel.Warning, Message = "processOrders: order {OrderId} not found; answered in-band with a NOT_FOUND shipment")]
    private static partial void LogProcessOrderNotFound(ILogger logger, string orderId);
}
