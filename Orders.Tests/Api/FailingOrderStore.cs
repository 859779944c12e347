using Ecommerce;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>
/// A store that fails every call with the exception given; its initialization succeeds, or does what
/// <paramref name="initialize"/> says (it gets the seeding flag).
/// </summary>
public sealed class FailingOrderStore(Func<Exception> failure, Func<bool, Task>? initialize = null) : IOrderStore
{
    public Task InitializeAsync(bool seedSampleData, CancellationToken cancellationToken) =>
        initialize?.Invoke(seedSampleData) ?? Task.CompletedTask;

    public Task<string> AddAsync(Order order, CancellationToken cancellationToken) => throw failure();

    public ValueTask<Order?> GetAsync(string id, CancellationToken cancellationToken) => throw failure();

    public Task<IReadOnlyList<Order?>> GetManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => throw failure();

    public IAsyncEnumerable<Order> SearchAsync(string query, CancellationToken cancellationToken) => throw failure();

    public Task UpsertAllAsync(IReadOnlyList<Order> orders, CancellationToken cancellationToken) => throw failure();

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw failure();

    public Task PingAsync(CancellationToken cancellationToken) => throw failure();
}
