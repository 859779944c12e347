using System.Data.Common;
using Ecommerce;
using Npgsql;

namespace Orders.Api.Storage;

/// <summary>PostgreSQL order store; items are kept as <c>text[]</c>.</summary>
public sealed class PostgresOrderStore(NpgsqlDataSource dataSource, OrderStoreAvailability availability) : SqlOrderStore(availability)
{
    // SQLSTATE classes and codes: connection exception, invalid authorization, insufficient resources, server shutting
    // down or starting, database does not exist, read-only (a standby).
    private static readonly string[] UnavailableSqlStates = ["08", "28", "53", "57P", "3D000", "25006"];

    // Replicas may start together: a transaction-scoped advisory lock ("Orders_1") lets only one create the schema and seed.
    protected override string SchemaSql => """
        SELECT pg_advisory_xact_lock(5724748463215959857);
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

    // strpos is an exact, case-sensitive substring test.
    protected override string ItemContainsQuerySql => "EXISTS (SELECT 1 FROM unnest(items) AS item WHERE strpos(item, @query) > 0)";

    protected override string IdInListSql => "id = ANY(@ids)";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    protected override ValueTask DisposeEngineAsync() => dataSource.DisposeAsync();

    protected override bool IsUnavailable(DbException exception) =>
        exception is NpgsqlException npgsql
        && (npgsql.IsTransient || (npgsql is PostgresException postgres && UnavailableSqlStates.Any(postgres.SqlState.StartsWith)));

    protected override object TextListValue(IReadOnlyList<string> values) => values.ToArray();

    protected override void ReadItems(DbDataReader reader, int ordinal, Order order) => order.Items.Add(reader.GetFieldValue<string[]>(ordinal));
}
