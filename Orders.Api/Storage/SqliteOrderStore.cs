using System.Data.Common;
using System.Text.Json;
using Ecommerce;
using Microsoft.Data.Sqlite;

namespace Orders.Api.Storage;

/// <summary>
/// SQLite (WAL) order store. Items are kept as a JSON array; <c>seq</c> gives the stable insertion order
/// searches stream in.
/// </summary>
public sealed class SqliteOrderStore(string connectionString) : IOrderStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS orders (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            id          TEXT    NOT NULL UNIQUE,
            items       TEXT    NOT NULL,
            description TEXT    NOT NULL,
            price       REAL    NOT NULL,
            destination TEXT    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS store_metadata (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """;

    private const string UpsertSql = """
        INSERT INTO orders (id, items, description, price, destination)
        VALUES ($id, $items, $description, $price, $destination)
        ON CONFLICT (id) DO UPDATE SET
            items = excluded.items, description = excluded.description,
            price = excluded.price, destination = excluded.destination
        """;

    private const string SelectColumns = "SELECT id, items, description, price, destination FROM orders";

    // SQLite result codes meaning "cannot reach or use the database right now" rather than a bug of ours.
    private static readonly HashSet<int> UnavailableErrorCodes =
    [
        5,  // SQLITE_BUSY
        6,  // SQLITE_LOCKED
        8,  // SQLITE_READONLY
        10, // SQLITE_IOERR
        13, // SQLITE_FULL
        14, // SQLITE_CANTOPEN
    ];

    public Task InitializeAsync(bool seedSampleData, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using (var schema = Command(connection, null, Schema))
            {
                await schema.ExecuteNonQueryAsync(cancellationToken);
            }

            if (!seedSampleData)
            {
                return true;
            }

            // Seeding happens once per database: deleting a sample order later must not bring it back on restart.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var seeded = Command(connection, transaction, "SELECT COUNT(*) FROM store_metadata WHERE key = $key");
            seeded.Parameters.AddWithValue("$key", SampleOrders.SeededMarker);
            if (Convert.ToInt64(await seeded.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                foreach (var order in SampleOrders.All)
                {
                    await InsertIfAbsentAsync(connection, transaction, order, cancellationToken);
                }

                await using var mark = Command(connection, transaction, "INSERT INTO store_metadata (key, value) VALUES ($key, 'true')");
                mark.Parameters.AddWithValue("$key", SampleOrders.SeededMarker);
                await mark.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<string> AddAsync(Order order, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            var stored = ServerAssignedId.Assign(order);
            await using var command = UpsertCommand(connection, null, stored);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return stored.Id;
        }, cancellationToken);

    public Task<Order?> GetAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = Command(connection, null, $"{SelectColumns} WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadOrder(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Order>> SearchAsync(string query, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<Order>>(async connection =>
        {
            // json_each decodes the stored array and instr is an exact, case-sensitive substring test on the
            // decoded text: the same "contains" as .NET's ordinal comparison, without reading every order into .NET.
            await using var command = Command(connection, null,
                $"{SelectColumns} WHERE EXISTS (SELECT 1 FROM json_each(orders.items) WHERE instr(json_each.value, $query) > 0) ORDER BY seq");
            command.Parameters.AddWithValue("$query", query);
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
                await using var command = UpsertCommand(connection, transaction, order);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            // A cancelled token never reaches this line, and disposing an uncommitted transaction rolls it back.
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = Command(connection, null, "DELETE FROM orders WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = Command(connection, null, "SELECT COUNT(*) FROM orders");
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }, cancellationToken);

    private async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return await work(connection);
        }
        catch (SqliteException ex) when (UnavailableErrorCodes.Contains(ex.SqliteErrorCode))
        {
            throw new OrderStoreUnavailableException("The order store is unavailable.", ex);
        }
    }

    private static async Task InsertIfAbsentAsync(SqliteConnection connection, DbTransaction transaction, Order order, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT OR IGNORE INTO orders (id, items, description, price, destination)
            VALUES ($id, $items, $description, $price, $destination)
            """);
        AddOrderParameters(command, order);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand UpsertCommand(SqliteConnection connection, DbTransaction? transaction, Order order)
    {
        var command = Command(connection, transaction, UpsertSql);
        AddOrderParameters(command, order);
        return command;
    }

    private static SqliteCommand Command(SqliteConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = (SqliteTransaction?)transaction;
        return command;
    }

    private static void AddOrderParameters(SqliteCommand command, Order order)
    {
        command.Parameters.AddWithValue("$id", order.Id);
        command.Parameters.AddWithValue("$items", JsonSerializer.Serialize(order.Items.ToArray()));
        command.Parameters.AddWithValue("$description", order.Description);
        command.Parameters.AddWithValue("$price", (double)order.Price);
        command.Parameters.AddWithValue("$destination", order.Destination);
    }

    private static Order ReadOrder(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Items = { JsonSerializer.Deserialize<string[]>(reader.GetString(1)) ?? [] },
        Description = reader.GetString(2),
        Price = (float)reader.GetDouble(3),
        Destination = reader.GetString(4),
    };
}
