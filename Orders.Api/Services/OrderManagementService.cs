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

    // processOrders holds at most this many received ids unanswered: one store read's worth.
    private const int MaxIdsPerLookup = 256;

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
        var arrived = new List<string>(MaxIdsPerLookup);
        var next = requestStream.MoveNext(context.CancellationToken);
        while (true)
        {
            // The ids already received are looked up in one read, but never held while the stream waits for more.
            if (arrived.Count == MaxIdsPerLookup || (arrived.Count > 0 && !next.IsCompleted))
            {
                try
                {
                    await AnswerAsync(arrived, batch, responseStream, context.CancellationToken);
                }
                catch
                {
                    // The call ends with a read still pending; its fault, when the stream closes, must not go unobserved.
                    _ = next.ContinueWith(static read => read.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                    throw;
                }
            }

            if (!await next)
            {
                break;
            }

            var id = requestStream.Current.Value;
            try
            {
                validator.ValidateProcessedId(id);
            }
            catch (RpcException)
            {
                // The ids before it are answered, as they would be had each been looked up on arrival.
                await AnswerAsync(arrived, batch, responseStream, context.CancellationToken);
                throw;
            }

            arrived.Add(id);
            next = requestStream.MoveNext(context.CancellationToken);
        }

        await AnswerAsync(arrived, batch, responseStream, context.CancellationToken);
        await WriteAsync(batch.Drain(), responseStream, context.CancellationToken);
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

    /// <summary>Looks up <paramref name="ids"/> together and answers each in turn: NOT_FOUND in-band, or into the batch.</summary>
    private async Task AnswerAsync(List<string> ids, ShipmentBatch batch, IServerStreamWriter<CombinedShipment> responseStream, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        // An id that no order can have is not asked for.
        var storable = ids.FindAll(OrderValidator.IsStorable);
        var found = storable.Count > 0 ? await store.GetManyAsync(storable, cancellationToken) : [];
        var answers = new List<CombinedShipment>();
        var nextFound = 0;
        foreach (var id in ids)
        {
            var order = OrderValidator.IsStorable(id) ? found[nextFound++] : null;
            if (order is null)
            {
                // An unknown id is answered in-band so the rest of the stream is still processed.
                var printableId = PrintableText.Escape(id);
                LogProcessOrderNotFound(logger, printableId);
                Activity.Current?.AddEvent(new ActivityEvent(RpcSemanticConventions.OrderNotFoundEvent, tags: new ActivityTagsCollection { [RpcSemanticConventions.OrderId] = printableId }));
                answers.Add(ShipmentBatch.NotFound(id));
            }
            else if (batch.Add(order))
            {
                answers.AddRange(batch.Drain());
            }
        }

        ids.Clear();
        await WriteAsync(answers, responseStream, cancellationToken);
    }

    // The answers to one read leave in one socket write: each is buffered but the last, which flushes them all.
    private static async Task WriteAsync(IReadOnlyList<CombinedShipment> answers, IServerStreamWriter<CombinedShipment> responseStream, CancellationToken cancellationToken)
    {
        for (var i = 0; i < answers.Count; i++)
        {
            responseStream.WriteOptions = i < answers.Count - 1 ? BufferedWrite : null;
            await responseStream.WriteAsync(answers[i], cancellationToken);
        }
    }

    [LoggerMessage(EventId = 10, EventName = "OrderAdded", Level = LogLevel.Debug, Message = "Order {OrderId} added")]
    private static partial void LogOrderAdded(ILogger logger, string orderId);

    [LoggerMessage(EventId = 11, EventName = "OrderBuffered", Level = LogLevel.Debug, Message = "updateOrders: order {OrderId} buffered ({BufferedCount} so far); stored when the stream completes")]
    private static partial void LogOrderBuffered(ILogger logger, string orderId, int bufferedCount);

    [LoggerMessage(EventId = 12, EventName = "ProcessOrderNotFound", Level = LogLevel.Warning, Message = "processOrders: order {OrderId} not found; answered in-band with a NOT_FOUND shipment")]
    private static partial void LogProcessOrderNotFound(ILogger logger, string orderId);
}
