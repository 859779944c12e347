using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Ecommerce;
using OrdersAspire.Shared;

namespace Orders.Api.Storage;

/// <summary>
/// The order store as SQL over ADO.NET: one row per order, <c>seq</c> giving the insertion order searches stream in.
/// The operations, transactions and seeding are shared; each engine supplies its schema, its search, how it keeps
/// the items list and which of its errors mean "unavailable". Reads run on pooled connections with prepared statements;
/// writes go through one <see cref="GroupCommitWriter"/>, which commits concurrent writes together (docs/architecture.md).
/// </summary>
public abstract class SqlOrderStore : IOrderStore, IAsyncDisposable
{
    /// <summary>The store_metadata key recording that a database was seeded, so deleted samples never come back.</summary>
    private const string SeededMarker = "sample_data_seeded";

    /// <summary>The store_metadata key readiness writes while writes fail, to learn when they work again.</summary>
    private const string WriteProbeKey = "write_probe";

    private const string SelectColumns = "SELECT id, items, description, price, destination FROM orders";

    private const string InsertSql = """
        INSERT INTO orders (id, items, description, price, destination)
        VALUES (@id, @items, @description, @price, @destination)
        """;

    private const string UpsertSql = InsertSql + """

        ON CONFLICT (id) DO UPDATE SET
            items = excluded.items, description = excluded.description,
            price = excluded.price, destination = excluded.destination
        """;

    private const int WriteBatchSize = 500;

    // Bounds one statement's list of ids (and what it reads at once); a longer list is read in several.
    private const int MaxIdsPerRead = 1_000;

    /// <summary>
    /// How long a connection's database stays confirmed as the store's for reads: a check per read (one system call)
    /// cost a tenth of getOrder's rate, and a file pulled away is still refused within this long. Writes check after every commit.
    /// </summary>
    public static readonly TimeSpan ReadRecheckInterval = TimeSpan.FromMilliseconds(10);

    private readonly ConnectionPool connections;
    private readonly GroupCommitWriter writer;
    private readonly OrderStoreAvailability availability;

    // Until the schema exists (and the samples are in), a call would see missing tables or an empty store.
    private volatile bool initialized;

    protected SqlOrderStore(OrderStoreAvailability availability)
    {
        this.availability = availability;
        // Enough idle connections for every thread-pool thread on a small machine to read at once.
        connections = new ConnectionPool(OpenInGenerationAsync, maxIdle: Math.Max(8, Environment.ProcessorCount * 4));
        writer = new GroupCommitWriter(connections, connection => EnsureStoresDatabaseAsync(connection, StoreOperation.Write, justCommitted: true));
    }

    /// <summary>Creates the tables <c>orders</c> and <c>store_metadata (key, value)</c>; runs inside the initializing transaction.</summary>
    protected abstract string SchemaSql { get; }

    /// <summary>The condition on <c>orders</c> that an item contains <c>@query</c>: exact and case-sensitive, as .NET's ordinal "contains".</summary>
    protected abstract string ItemContainsQuerySql { get; }

    public async Task InitializeAsync(bool seedSampleData, CancellationToken cancellationToken)
    {
        await UsePooledConnectionAsync(async connection =>
        {
            await using var transaction = await connection.Connection.BeginTransactionAsync(cancellationToken);
            await using (var schema = connection.Connection.CreateCommand())
            {
                schema.CommandText = SchemaSql;
                schema.Transaction = transaction;
                await schema.ExecuteNonQueryAsync(cancellationToken);
            }

            // Seeding happens once per database: deleting a sample order later must not bring it back on restart.
            if (seedSampleData && await MarkSeededAsync(connection, transaction, cancellationToken))
            {
                await WriteEachAsync(connection, transaction, InsertSql + " ON CONFLICT (id) DO NOTHING", SampleOrders.All, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }, StoreOperation.Write, cancellationToken);
        initialized = true;
    }

    public Task<string> AddAsync(Order order, CancellationToken cancellationToken)
    {
        var stored = ServerAssignedId.Assign(order);
        return WriteAsync(async (connection, transaction) =>
        {
            await OrderCommand(connection, transaction, InsertSql, stored).ExecuteNonQueryAsync();
            return stored.Id;
        }, cancellationToken);
    }

    // The hot read: one connection from the pool, one prepared statement, and no delegates or extra tasks per call.
    public async ValueTask<Order?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ThrowIfNotInitialized();
        var connection = await RentAsync(StoreOperation.Read, cancellationToken);
        var healthy = false;
        try
        {
            var order = await ReadByIdAsync(connection, id, cancellationToken);
            healthy = true;
            availability.ReportSuccess(StoreOperation.Read);
            return order;
        }
        catch (DbException ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex, StoreOperation.Read);
        }
        finally
        {
            await connections.ReturnAsync(connection, healthy);
        }
    }

    public async Task<IReadOnlyList<Order?>> GetManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        // A stream whose ids arrive one by one asks for one at a time: the point read is the cheaper statement for it.
        if (ids.Count == 1)
        {
            return [await GetAsync(ids[0], cancellationToken)];
        }

        ThrowIfNotInitialized();
        return await UsePooledConnectionAsync<IReadOnlyList<Order?>>(async connection =>
        {
            var byId = new Dictionary<string, Order>(ids.Count, StringComparer.Ordinal);
            foreach (var someIds in ids.Distinct(StringComparer.Ordinal).Chunk(MaxIdsPerRead))
            {
                var command = connection.Command($"{SelectColumns} WHERE {IdInListSql}", null, ("@ids", TextListValue(someIds)));
                await using var reader = await QueryAsync(command, cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var order = ReadOrder(reader);
                    byId[order.Id] = order;
                }
            }

            return ids.Select(id => byId.GetValueOrDefault(id)).ToArray();
        }, StoreOperation.Read, cancellationToken);
    }

    public async IAsyncEnumerable<Order> SearchAsync(string query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfNotInitialized();
        var connection = await RentAsync(StoreOperation.Read, cancellationToken);
        var healthy = false;
        try
        {
            // Streamed as read: the first order leaves before the last is read, and a large result is never held whole.
            var command = connection.Command($"{SelectColumns} WHERE {ItemContainsQuerySql} ORDER BY seq", null, ("@query", query));
            await using (var reader = await ExecuteReaderAsync(command, cancellationToken))
            {
                while (await ReadRowAsync(reader, cancellationToken))
                {
                    yield return ReadOrder(reader);
                }
            }

            healthy = true;
            availability.ReportSuccess(StoreOperation.Read);
        }
        finally
        {
            await connections.ReturnAsync(connection, healthy);
        }
    }

    public Task UpsertAllAsync(IReadOnlyList<Order> orders, CancellationToken cancellationToken) =>
        // One transaction's worth: a failure anywhere leaves none of the orders written.
        WriteAsync(async (connection, transaction) =>
        {
            await WriteEachAsync(connection, transaction, UpsertSql, orders, CancellationToken.None);
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await connection.Command("DELETE FROM orders WHERE id = @id", transaction, ("@id", id)).ExecuteNonQueryAsync() > 0,
            cancellationToken);

    /// <summary>A read; while writes fail, a committed write instead, since a read cannot tell that a full disk has room again.</summary>
    public Task PingAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotInitialized();
        return availability.WritesFailing
            ? WriteAsync(async (connection, transaction) =>
                await connection.Command(
                    "INSERT INTO store_metadata (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    transaction, ("@key", WriteProbeKey), ("@value", DateTimeOffset.UtcNow.ToString("O"))).ExecuteNonQueryAsync(),
                cancellationToken)
            : UsePooledConnectionAsync(async connection =>
                await connection.Command("SELECT 1 FROM orders LIMIT 1", null).ExecuteScalarAsync(cancellationToken), StoreOperation.Read, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync();
        await connections.DisposeAsync();
        await DisposeEngineAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Cannot reach, open or use the database right now — as opposed to a bug in our SQL.</summary>
    protected abstract bool IsUnavailable(DbException exception);

    /// <summary>The condition on <c>orders</c> that its id is one of <c>@ids</c>, a list bound as <see cref="TextListValue"/> makes it.</summary>
    protected abstract string IdInListSql { get; }

    /// <summary>A list of strings as the engine keeps one: an order's items (<c>@items</c>), the ids of a many-ids read (<c>@ids</c>).</summary>
    protected abstract object TextListValue(IReadOnlyList<string> values);

    /// <summary>Adds the items stored in the column to <paramref name="order"/>, whose id is already read.</summary>
    protected abstract void ReadItems(DbDataReader reader, int ordinal, Order order);

    /// <summary>Runs a query; an engine whose driver runs every statement synchronously may skip its async API's task.</summary>
    protected virtual ValueTask<DbDataReader> QueryAsync(DbCommand command, CancellationToken cancellationToken) =>
        new(command.ExecuteReaderAsync(cancellationToken));

    /// <summary>The order stored under <paramref name="id"/>, or null: through ADO.NET, unless the engine has a cheaper way.</summary>
    protected virtual async ValueTask<Order?> ReadByIdAsync(PreparedConnection connection, string id, CancellationToken cancellationToken)
    {
        await using var reader = await QueryAsync(connection.Command($"{SelectColumns} WHERE id = @id", null, ("@id", id)), cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadOrder(reader) : null;
    }

    /// <summary>True once the schema exists: from then on the store's database must already be there.</summary>
    protected bool IsInitialized => initialized;

    /// <summary>
    /// Null while <paramref name="connection"/> leads to the store's database; otherwise why not (SQLite: its file was
    /// deleted or replaced), once the engine let go of whatever it caches for that database. Asked before a read on a connection
    /// not confirmed within <see cref="ReadRecheckInterval"/>, before any other use of a pooled connection and,
    /// <paramref name="justCommitted"/>, before a write is acknowledged.
    /// </summary>
    protected virtual string? LetGoUnlessTheStoresDatabase(DbConnection connection, bool justCommitted) => null;

    /// <summary>
    /// Null while the database the store's connections lead to is still the one a new connection would open; otherwise
    /// why not, once the engine let go of it. Asked before every new connection opens.
    /// </summary>
    protected virtual string? LetGoUnlessStillTheStoresDatabase() => null;

    /// <summary>The store stopped using the database its connections led to (once per such database).</summary>
    protected virtual void OnStoresDatabaseLost(string reason)
    {
    }

    /// <summary>Releases what the engine holds besides its connections.</summary>
    protected virtual ValueTask DisposeEngineAsync() => ValueTask.CompletedTask;

    private void ThrowIfNotInitialized()
    {
        if (!initialized)
        {
            throw new OrderStoreUnavailableException("The order store is not initialized yet.");
        }
    }

    private async Task<T> UsePooledConnectionAsync<T>(Func<PreparedConnection, Task<T>> work, StoreOperation operation, CancellationToken cancellationToken)
    {
        var connection = await RentAsync(operation, cancellationToken);
        var healthy = false;
        try
        {
            var result = await work(connection);
            healthy = true;
            availability.ReportSuccess(operation);
            return result;
        }
        catch (DbException ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex, operation);
        }
        finally
        {
            await connections.ReturnAsync(connection, healthy);
        }
    }

    private async Task<T> WriteAsync<T>(Func<PreparedConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        ThrowIfNotInitialized();
        try
        {
            var result = await writer.WriteAsync(write, cancellationToken);
            availability.ReportSuccess(StoreOperation.Write);
            return result;
        }
        catch (DbException ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex, StoreOperation.Write);
        }
    }

    // A read from a database that is no longer the store's would serve what the store no longer holds.
    private async ValueTask<PreparedConnection> RentAsync(StoreOperation operation, CancellationToken cancellationToken)
    {
        PreparedConnection connection;
        try
        {
            connection = await connections.RentAsync(cancellationToken);
        }
        catch (DbException ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex, operation);
        }
        catch (OrderStoreUnavailableException ex)
        {
            // The store's own finding while opening a connection (its SQLite file gone): an outage like any other.
            availability.ReportUnavailable(operation, ex);
            throw;
        }

        if (operation == StoreOperation.Read && Stopwatch.GetElapsedTime(connection.StoresDatabaseConfirmedAt) < ReadRecheckInterval)
        {
            return connection;
        }

        try
        {
            // Stamped before the check: a thread held up after it must not date the confirmation later than what it saw.
            var checkedAt = Stopwatch.GetTimestamp();
            await EnsureStoresDatabaseAsync(connection, operation, justCommitted: false);
            connection.StoresDatabaseConfirmedAt = checkedAt;
            return connection;
        }
        catch
        {
            await connections.ReturnAsync(connection, healthy: false);
            throw;
        }
    }

    /// <summary>Throws <see cref="OrderStoreUnavailableException"/>, and retires every open connection, once the connection's database is no longer the store's.</summary>
    private async ValueTask EnsureStoresDatabaseAsync(PreparedConnection connection, StoreOperation operation, bool justCommitted)
    {
        if (LetGoUnlessTheStoresDatabase(connection.Connection, justCommitted) is { } reason)
        {
            var unavailable = await LoseDatabaseAsync(connection.Generation, reason);
            availability.ReportUnavailable(operation, unavailable);
            throw unavailable;
        }
    }

    // A new connection opens whatever database is at the path now, beside the files the open ones share (SQLite's -wal
    // and -shm): it opens only while those still lead to the store's database.
    private async Task<DbConnection> OpenInGenerationAsync(ConnectionPool.Generation generation, CancellationToken cancellationToken)
    {
        if (LetGoUnlessStillTheStoresDatabase() is { } reason)
        {
            throw await LoseDatabaseAsync(generation, reason);
        }

        return await OpenConnectionAsync(cancellationToken);
    }

    private async ValueTask<OrderStoreUnavailableException> LoseDatabaseAsync(ConnectionPool.Generation generation, string reason)
    {
        if (await connections.RetireAsync(generation, reason))
        {
            OnStoresDatabaseLost(reason);
        }

        return new OrderStoreUnavailableException(reason) { CallerReason = reason };
    }

    private async Task<DbDataReader> ExecuteReaderAsync(DbCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await QueryAsync(command, cancellationToken);
        }
        catch (DbException ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex, StoreOperation.Read);
        }
    }

    private async Task<bool> ReadRowAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken);
        }
        catch (DbException ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex, StoreOperation.Read);
        }
    }

    private OrderStoreUnavailableException Unavailable(DbException exception, StoreOperation operation)
    {
        var unavailable = new OrderStoreUnavailableException("The order store is unavailable.", exception);
        availability.ReportUnavailable(operation, unavailable);
        return unavailable;
    }

    private static async Task<bool> MarkSeededAsync(PreparedConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        await connection.Command(
            "INSERT INTO store_metadata (key, value) VALUES (@key, 'true') ON CONFLICT (key) DO NOTHING", transaction, ("@key", SeededMarker))
            .ExecuteNonQueryAsync(cancellationToken) == 1;

    private async Task WriteEachAsync(PreparedConnection connection, DbTransaction transaction, string sql, IEnumerable<Order> orders, CancellationToken cancellationToken)
    {
        if (connection.Connection.CanCreateBatch)
        {
            await WriteInBatchesAsync(connection.Connection, transaction, sql, orders, cancellationToken);
            return;
        }

        // SQLite runs in-process: a prepared statement per order costs no round trip.
        foreach (var order in orders)
        {
            await OrderCommand(connection, transaction, sql, order).ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // A database across the network (PostgreSQL) gets WriteBatchSize statements per round trip instead of one.
    private async Task WriteInBatchesAsync(DbConnection connection, DbTransaction transaction, string sql, IEnumerable<Order> orders, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var order in orders)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var (name, value) in OrderParameters(order))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
            if (batch.BatchCommands.Count == WriteBatchSize)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
                batch.BatchCommands.Clear();
            }
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private DbCommand OrderCommand(PreparedConnection connection, DbTransaction transaction, string sql, Order order) =>
        connection.Command(sql, transaction, OrderParameters(order));

    private (string Name, object Value)[] OrderParameters(Order order) =>
        [("@id", order.Id), ("@items", TextListValue(order.Items)), ("@description", order.Description), ("@price", order.Price), ("@destination", order.Destination)];

    private Order ReadOrder(DbDataReader reader)
    {
        var order = new Order { Id = reader.GetString(0), Description = reader.GetString(2), Price = reader.GetFloat(3), Destination = reader.GetString(4) };
        ReadItems(reader, 1, order);
        return order;
    }
}
