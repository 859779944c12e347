using Ecommerce;
using Npgsql;
using NpgsqlTypes;

namespace Orders.Api.Storage;

/// <summary>
/// PostgreSQL order store: one row per order, items as <c>text[]</c>, <c>seq</c> giving the insertion order searches
/// stream in.
/// </summary>
public sealed class PostgresOrderStore(NpgsqlDataSource dataSource) : IOrderStore, IAsyncDisposable
{
    // Replicas may start together: one transaction-scoped advisory lock lets only one create the schema and seed.
    private const long SchemaLockKey = 0x4f72646572735f31; // "Orders_1"

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS orders (
            seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id          text   NOT NULL UNIQUE,
            items       text[] NOT NULL,
            description text   NOT NULL,
            price       real   NOT NULL,
            destination text   NOT NULL
        );
        CREATE TABLE IF NOT EXISTS store_metadata (
            key   text PRIMARY KEY,
            value text NOT NULL
        );
        """;

    private const string InsertSql = """
        INSERT INTO orders (id, items, description, price, destination)
        VALUES (@id, @items, @description, @price, @destination)
        """;

    private const string UpsertSql = InsertSql + """

        ON CONFLICT (id) DO UPDATE SET
            items = excluded.items, description = excluded.description,
            price = excluded.price, destination = excluded.destination
        """;

    private const string SelectColumns = "SELECT id, items, description, price, destination FROM orders";

    // SQLSTATE classes and codes: connection exception, invalid authorization, insufficient resources, server shutting
    // down or starting, database does not exist, read-only (a standby).
    private static readonly string[] UnavailableSqlStates = ["08", "28", "53", "57P", "3D000", "25006"];

    public Task InitializeAsync(bool seedSampleData, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var schema = new NpgsqlCommand($"SELECT pg_advisory_xact_lock(@key);{Schema}", connection, transaction))
            {
                schema.Parameters.AddWithValue("key", SchemaLockKey);
                await schema.ExecuteNonQueryAsync(cancellationToken);
            }

            // Seeding happens once per database: deleting a sample order later must not bring it back on restart.
            if (seedSampleData && await MarkSeededAsync(connection, transaction, cancellationToken))
            {
                foreach (var order in SampleOrders.All)
                {
                    await using var insert = OrderCommand(connection, transaction, InsertSql + " ON CONFLICT (id) DO NOTHING", order);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

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
            await using var command = new NpgsqlCommand($"{SelectColumns} WHERE id = @id", connection) { Parameters = { new("id", id) } };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadOrder(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Order>> SearchAsync(string query, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<Order>>(async connection =>
        {
            // strpos is an exact, case-sensitive substring test: the same "contains" as .NET's ordinal comparison.
            await using var command = new NpgsqlCommand(
                $"{SelectColumns} WHERE EXISTS (SELECT 1 FROM unnest(items) AS item WHERE strpos(item, @query) > 0) ORDER BY seq",
                connection) { Parameters = { new("query", query) } };
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
            foreach (var order in orders)
            {
                await using var command = OrderCommand(connection, transaction, UpsertSql, order);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            // A cancelled token never reaches this line, and disposing an uncommitted transaction rolls it back.
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM orders WHERE id = @id", connection) { Parameters = { new("id", id) } };
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT 1 FROM orders LIMIT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await work(connection);
        }
        catch (NpgsqlException ex) when (IsUnavailable(ex))
        {
            throw new OrderStoreUnavailableException("The order store is unavailable.", ex);
        }
    }

    /// <summary>Cannot reach, log in to or use the server right now — as opposed to a bug in our SQL.</summary>
    private static bool IsUnavailable(NpgsqlException ex) =>
        ex.IsTransient || (ex is PostgresException postgres && UnavailableSqlStates.Any(postgres.SqlState.StartsWith));

    private static async Task<bool> MarkSeededAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var mark = new NpgsqlCommand(
            "INSERT INTO store_metadata (key, value) VALUES (@key, 'true') ON CONFLICT (key) DO NOTHING", connection, transaction)
        {
            Parameters = { new("key", SampleOrders.SeededMarker) },
        };
        return await mark.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static NpgsqlCommand OrderCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Order order) =>
        new(sql, connection, transaction)
        {
            Parameters =
            {
                new("id", order.Id),
                new("items", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = order.Items.ToArray() },
                new("description", order.Description),
                new("price", NpgsqlDbType.Real) { Value = order.Price },
                new("destination", order.Destination),
            },
        };

    private static Order ReadOrder(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Items = { reader.GetFieldValue<string[]>(1) },
        Description = reader.GetString(2),
        Price = reader.GetFloat(3),
        Destination = reader.GetString(4),
    };
}
