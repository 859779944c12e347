using Ecommerce;

namespace Orders.Api.Storage;

/// <summary>Durable order storage. Every call honours its token; a completed write is committed.</summary>
/// <remarks>
/// Implementations throw <see cref="OrderStoreUnavailableException"/> when the backing store cannot be reached, and from
/// every other operation until <see cref="InitializeAsync"/> has succeeded once.
/// </remarks>
public interface IOrderStore
{
    /// <summary>Creates the schema and, when asked, seeds the sample orders once per database; safe to retry after a failure.</summary>
    Task InitializeAsync(bool seedSampleData, CancellationToken cancellationToken);

    /// <summary>Stores a new order under a server-assigned id and returns that id.</summary>
    Task<string> AddAsync(Order order, CancellationToken cancellationToken);

    /// <summary>The order with that id, or null; without a task of its own when the read completes at once (SQLite).</summary>
    ValueTask<Order?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The orders with these ids, read together: the i-th entry is the order with the i-th id, or null when no order has
    /// it. A repeated id gets the same order each time; any number of ids, however many statements that takes.
    /// </summary>
    Task<IReadOnlyList<Order?>> GetManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>Orders having an item that contains <paramref name="query"/> (ordinal), in insertion order, streamed as read.</summary>
    IAsyncEnumerable<Order> SearchAsync(string query, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces every order in one transaction: all of them or none.</summary>
    Task UpsertAllAsync(IReadOnlyList<Order> orders, CancellationToken cancellationToken);

    /// <summary>Returns false when no order has that id.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Throws <see cref="OrderStoreUnavailableException"/> unless the store answers: a read, or while writes fail as
    /// unavailable (<see cref="OrderStoreAvailability.WritesFailing"/>) a committed write, the path that failed.
    /// </summary>
    Task PingAsync(CancellationToken cancellationToken);
}
