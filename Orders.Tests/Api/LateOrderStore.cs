using Microsoft.Extensions.DependencyInjection;
using Ecommerce;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>
/// A store whose order reads finish whatever happens to their call: each waits until the call is cancelled (at most
/// 10 s), then returns the order anyway, as a read already under way would. Its other operations are not used.
/// </summary>
public sealed class LateOrderStore : IOrderStore
{
    private readonly TaskCompletionSource reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a read has begun: the call's handler is running.</summary>
    public Task Reading => reading.Task;

    public void AddTo(IServiceCollection services) => services.AddSingleton<IOrderStore>(this);

    public Task InitializeAsync(bool seedSampleData, CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask<Order?> GetAsync(string id, CancellationToken cancellationToken)
    {
        reading.TrySetResult();
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        return new Order { Id = id, Items = { "Item - Late" }, Price = 1 };
    }

    public Task<IReadOnlyList<Order?>> GetManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> AddAsync(Order order, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<Order> SearchAsync(string query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task UpsertAllAsync(IReadOnlyList<Order> orders, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
