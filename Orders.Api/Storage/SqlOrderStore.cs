using System.Data.Common;
using Ecommerce;
using OrdersAspire.Shared;

namespace Orders.Api.Storage;

/// <summary>
/// The order store as SQL over ADO.NET: one row per order, <c>seq</c> giving the insertion order searches stream in.
/// The operations, transactions and seeding are shared; each engine supplies its schema, its search, how it keeps
/// the items list and which of its errors mean "unavailable".
/// </summary>
public abstract class SqlOrderStore : IOrderStore
{
    /// <summary>The store_metadata key recording that a database was seeded, so deleted samples never come back.</summary>
    private const string SeededMarker = "sample_data_seeded";

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

    // Until the schema exists (and the samples are in), a call would see missing tables or an empty store.
    private volatile bool initialized;

    /// <summary>Creates the tables <c>orders</c> and <c>store_metadata (key, value)</c>; runs inside the initializing transaction.</summary>
    protected abstract string SchemaSql { get; }

    /// <summary>The condition on <c>orders</c> that an item contains <c>@query</c>: exact and case-sensitive, as .NET's ordinal "contains".</summary>
    protected abstract string ItemContainsQuerySql { get; }

    public async Task InitializeAsync(bool seedSampleData, CancellationToken cancellationToken)
    {
        await ConnectAsync(async connection =>
        {
            await PrepareAsync(connection, cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var schema = Command(connection, transaction, SchemaSql))
            {
                await schema.ExecuteNonQueryAsync(cancellationToken);
            }

            // Seeding happens once per database: deleting a sample order later must not bring it back on restart.
            if (seedSampleData && await MarkSeededAsync(connection, transaction, cancellationToken))
            {
                await WriteEachAsync(connection, transaction, InsertSql + " ON CONFLICT (id) DO NOTHING", SampleOrders.All, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);
        initialized = true;
    }

    public Task<string> AddAsync(Order order, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            var stored = ServerAssignedId.Assign(order);
            await using var command = OrderCommand(connection, null, InsertSql, stored);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return stored.Id;
        }, cancellationToken);

    public Task<Order?> GetAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = Command(connection, null, $"{SelectColumns} WHERE id = @id", ("@id", id));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadOrder(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Order>> SearchAsync(string query, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<Order>>(async connection =>
        {
            await using var command = Command(connection, null, $"{SelectColumns} WHERE {ItemContainsQuerySql} ORDER BY seq", ("@query", query));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var matches = new List<Order>();
            while (await reader.ReadAsync(cancellationToken))
            {
                matches.Add(ReadOrder(reader));
            }

            return matches;
        }, cancellationToken);

    public Task UpsertAllAsync(IReadOnlyList<Order> orders, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await WriteEachAsync(connection, transaction, UpsertSql, orders, cancellationToken);

            // A cancelled token never reaches this line, and disposing an uncommitted transaction rolls it back.
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = Command(connection, null, "DELETE FROM orders WHERE id = @id", ("@id", id));
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = Command(connection, null, "SELECT 1 FROM orders LIMIT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }, cancellationToken);

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Cannot reach, open or use the database right now — as opposed to a bug in our SQL.</summary>
    protected abstract bool IsUnavailable(DbException exception);

    /// <summary>The items list as the engine stores it, bound to <c>@items</c>.</summary>
    protected abstract object ItemsValue(Order order);

    protected abstract IEnumerable<string> ReadItems(DbDataReader reader, int ordinal);

    /// <summary>Database-wide settings that cannot change inside a transaction.</summary>
    protected virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!initialized)
        {
            throw new OrderStoreUnavailableException("The order store is not initialized yet.");
        }

        return await ConnectAsync(work, cancellationToken);
    }

    private async Task<T> ConnectAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            return await work(connection);
        }
        catch (DbException ex) when (IsUnavailable(ex))
        {
            throw new OrderStoreUnavailableException("The order store is unavailable.", ex);
        }
    }

    private static async Task<bool> MarkSeededAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var mark = Command(connection, transaction,
            "INSERT INTO store_metadata (key, value) VALUES (@key, 'true') ON CONFLICT (key) DO NOTHING", ("@key", SeededMarker));
        return await mark.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task WriteEachAsync(DbConnection connection, DbTransaction transaction, string sql, IEnumerable<Order> orders, CancellationToken cancellationToken)
    {
        foreach (var order in orders)
        {
            await using var command = OrderCommand(connection, transaction, sql, order);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private DbCommand OrderCommand(DbConnection connection, DbTransaction? transaction, string sql, Order order) =>
        Command(connection, transaction, sql,
            ("@id", order.Id), ("@items", ItemsValue(order)), ("@description", order.Description), ("@price", order.Price), ("@destination", order.Destination));

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private Order ReadOrder(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Items = { ReadItems(reader, 1) },
        Description = reader.GetString(2),
        Price = reader.GetFloat(3),
        Destination = reader.GetString(4),
    };
}
