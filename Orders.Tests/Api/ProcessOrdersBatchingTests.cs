using System.Collections.Concurrent;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Services;
using Orders.Api.Storage;
using OrdersAspire.Shared;

namespace Orders.Tests.Api;

/// <summary>processOrders looks up the ids it has received together, and answers exactly as if each were looked up on arrival.</summary>
public sealed class ProcessOrdersBatchingTests
{
    [Fact]
    public async Task IdsReceivedWhileALookupRunsAreLookedUpInOneRead()
    {
        var store = new RecordingStore();
        await using var api = new OrdersApiFactory(configureServices: services =>
            services.AddSingleton<IOrderStore>(provider => store.Around(OrderStoreFactory.Create(provider))));
        using var call = api.CreateOrdersClient().processOrders();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await call.RequestStream.WriteAsync(new StringValue { Value = "101" }, timeout.Token);
        await store.FirstReadStarted.WaitAsync(timeout.Token);
        var later = Enumerable.Range(0, 100).Select(i => SampleOrders.All[i % 4].Id).ToArray();
        foreach (var id in later)
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = id }, timeout.Token);
        }

        await call.RequestStream.CompleteAsync();
        store.ReleaseFirstRead();
        var shipments = await call.ResponseStream.ReadAllAsync(timeout.Token).ToListAsync(timeout.Token);

        Assert.Equal(["101"], store.Reads.First());
        Assert.Equal(later, store.Reads.Skip(1).SelectMany(ids => ids));
        // Written while the first read held the stream, the next hundred ids wait in its buffer: fewer reads than ids.
        Assert.InRange(store.Reads.Count, 2, later.Length / 10);
        Assert.Equal(101, shipments.Sum(shipment => shipment.OrdersList.Count));
        Assert.All(shipments, shipment => Assert.Equal(ShipmentBatch.ProcessedStatus, shipment.Status));
    }

    [Fact]
    public async Task AStreamOfManyIdsIsAnsweredAsIfEachWereLookedUpOnArrival()
    {
        await using var api = new OrdersApiFactory();
        var client = api.CreateOrdersClient();
        var stored = SampleOrders.All.ToDictionary(order => order.Id);
        // Known ids, repeats, unknown ones and one no order can have (a NUL).
        string[] pattern = ["101", "nope", "102", "102", "103", "bad\0id", "104", "101", "NOPE", "103", "unknown-1"];
        var ids = Enumerable.Range(0, 1_000).Select(i => pattern[i % pattern.Length]).ToArray();

        using var call = client.processOrders();
        foreach (var id in ids)
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = id });
        }

        await call.RequestStream.CompleteAsync();
        var shipments = await call.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal(AnsweredOneByOne(ids, stored), shipments.Select(Describe));
        Assert.Equal(shipments.Count, shipments.Select(shipment => shipment.Id).Distinct().Count());
    }

    [Fact]
    public async Task AnInvalidIdEndsTheCallAfterTheIdsBeforeItAreAnswered()
    {
        await using var api = new OrdersApiFactory();
        using var call = api.CreateOrdersClient().processOrders();
        foreach (var id in new[] { "101", "nope", "102", " " })
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = id });
        }

        await call.RequestStream.CompleteAsync();
        var answered = new List<CombinedShipment>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var shipment in call.ResponseStream.ReadAllAsync())
            {
                answered.Add(shipment);
            }
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal([(ShipmentBatch.NotFoundStatus, "nope")], answered.Select(shipment => (shipment.Status, shipment.OrdersList.Single().Id)));
    }

    // The contract's semantics, one id at a time: unknown ids answered in-band at once, found ones batched by destination.
    private static List<string> AnsweredOneByOne(IEnumerable<string> ids, Dictionary<string, Order> stored)
    {
        var answers = new List<string>();
        var batch = new ShipmentBatch(3);
        foreach (var id in ids)
        {
            if (!stored.TryGetValue(id, out var order))
            {
                answers.Add(Describe(ShipmentBatch.NotFound(id)));
            }
            else if (batch.Add(order))
            {
                answers.AddRange(batch.Drain().Select(Describe));
            }
        }

        answers.AddRange(batch.Drain().Select(Describe));
        return answers;
    }

    private static string Describe(CombinedShipment shipment) =>
        $"{shipment.Status}: {string.Join(' ', shipment.OrdersList.Select(order => order.Id))}";

    /// <summary>A store that records the ids of every many-ids read, and holds the first until released.</summary>
    private sealed class RecordingStore
    {
        private readonly TaskCompletionSource firstReadStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource firstReadReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string[]> Reads { get; } = new();

        public Task FirstReadStarted => firstReadStarted.Task;

        public void ReleaseFirstRead() => firstReadReleased.TrySetResult();

        public IOrderStore Around(IOrderStore inner) => new Recording(inner, this);

        private async Task BeforeReadAsync(IReadOnlyList<string> ids)
        {
            Reads.Enqueue([.. ids]);
            if (firstReadStarted.TrySetResult())
            {
                await firstReadReleased.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        private sealed class Recording(IOrderStore inner, RecordingStore recorder) : IOrderStore, IAsyncDisposable
        {
            public async Task<IReadOnlyList<Order?>> GetManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
            {
                await recorder.BeforeReadAsync(ids);
                return await inner.GetManyAsync(ids, cancellationToken);
            }

            public Task InitializeAsync(bool seedSampleData, CancellationToken cancellationToken) => inner.InitializeAsync(seedSampleData, cancellationToken);

            public Task<string> AddAsync(Order order, CancellationToken cancellationToken) => inner.AddAsync(order, cancellationToken);

            public ValueTask<Order?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

            public IAsyncEnumerable<Order> SearchAsync(string query, CancellationToken cancellationToken) => inner.SearchAsync(query, cancellationToken);

            public Task UpsertAllAsync(IReadOnlyList<Order> orders, CancellationToken cancellationToken) => inner.UpsertAllAsync(orders, cancellationToken);

            public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => inner.DeleteAsync(id, cancellationToken);

            public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

            public ValueTask DisposeAsync() => ((IAsyncDisposable)inner).DisposeAsync();
        }
    }
}
