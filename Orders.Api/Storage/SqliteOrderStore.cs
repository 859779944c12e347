using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ecommerce;
using Microsoft.Data.Sqlite;

namespace Orders.Api.Storage;

/// <summary>SQLite (WAL) order store; items are kept as a JSON array.</summary>
public sealed partial class SqliteOrderStore(string connectionString, OrderStoreAvailability availability) : SqlOrderStore(availability)
{
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

    protected override string SchemaSql => """
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

    // json_each decodes the stored array and instr is an exact, case-sensitive substring test on the decoded text.
    protected override string ItemContainsQuerySql => "EXISTS (SELECT 1 FROM json_each(orders.items) WHERE instr(json_each.value, @query) > 0)";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Per connection: a commit returns only once the WAL is flushed to disk, so an acknowledged write survives a crash.
        await using var synchronous = connection.CreateCommand();
        synchronous.CommandText = "PRAGMA synchronous = FULL";
        await synchronous.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    // WAL is a property of the database file, set once; it cannot be switched inside a transaction.
    protected override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL";
        await wal.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override bool IsUnavailable(DbException exception) =>
        exception is SqliteException sqlite && UnavailableErrorCodes.Contains(sqlite.SqliteErrorCode);

    protected override object ItemsValue(Order order) => JsonSerializer.Serialize(order.Items, ItemsJson.Default.IEnumerableString);

    protected override IEnumerable<string> ReadItems(DbDataReader reader, int ordinal) =>
        JsonSerializer.Deserialize(reader.GetString(ordinal), ItemsJson.Default.StringArray) ?? [];

    // Generated at build time: no reflection, and no copy of the items list before encoding it.
    [JsonSerializable(typeof(string[]))]
    [JsonSerializable(typeof(IEnumerable<string>))]
    private sealed partial class ItemsJson : JsonSerializerContext;
}
