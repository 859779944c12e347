using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Orders.Api.Options;

namespace Orders.Api.Storage;

/// <summary>
/// Builds the store <c>ConnectionStrings:orders</c> points at — the name an Aspire AppHost's <c>WithReference</c> injects.
/// PostgreSQL when <c>Orders:Storage:Provider</c> says so or, unset, when the connection string names a server (the shape
/// of Aspire's <c>AddPostgres(…).AddDatabase("orders")</c>); otherwise SQLite, by default a file under the content root.
/// </summary>
public static class OrderStoreFactory
{
    public const string ConnectionStringName = "orders";

    public static IOrderStore Create(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = null;
        }

        var availability = services.GetRequiredService<OrderStoreAvailability>();
        var storage = services.GetRequiredService<IOptions<OrdersOptions>>().Value.Storage;
        return (storage.Provider ?? Infer(configured)) switch
        {
            OrderStoreProvider.PostgreSQL => new PostgresOrderStore(PostgresDataSource(configured
                ?? throw new BadSettingException($"Orders:Storage:Provider is PostgreSQL but ConnectionStrings:{ConnectionStringName} is not set.")), availability),
            _ => new SqliteOrderStore(
                configured ?? DefaultSqliteConnectionString(services.GetRequiredService<IHostEnvironment>()),
                availability,
                services.GetRequiredService<ILogger<SqliteOrderStore>>(),
                storage.ReadCacheBytes),
        };
    }

    /// <summary>"ConnectionStrings:orders is not a SQLite connection string: Connection string keyword 'data sorce' is not supported. …"</summary>
    internal static string Unreadable(string database, ArgumentException refusal) =>
        $"ConnectionStrings:{ConnectionStringName} is not a {database} connection string: {refusal.Message}";

    private static NpgsqlDataSource PostgresDataSource(string connectionString)
    {
        try
        {
            return NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new BadSettingException(Unreadable("PostgreSQL", ex), ex);
        }
    }

    /// <summary>PostgreSQL connection strings name a server (<c>Host</c>, or its alias <c>Server</c>); SQLite ones a <c>Data Source</c>.</summary>
    public static OrderStoreProvider Infer(string? connectionString)
    {
        var keys = new DbConnectionStringBuilder();
        try
        {
            keys.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Not key=value pairs at all: let SQLite report what is wrong with it.
            return OrderStoreProvider.Sqlite;
        }

        return keys.ContainsKey("Host") || keys.ContainsKey("Server") ? OrderStoreProvider.PostgreSQL : OrderStoreProvider.Sqlite;
    }

    private static string DefaultSqliteConnectionString(IHostEnvironment environment)
    {
        // Only our own default folder is created; a configured path is the operator's to provide.
        var dataDirectory = Path.Combine(environment.ContentRootPath, "data");
        try
        {
            Directory.CreateDirectory(dataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // In a container with a read-only root filesystem this is the first thing to fail: say what to do about it.
            throw new BadSettingException(
                $"The default SQLite folder {dataDirectory} cannot be created ({ex.Message}): mount a writable volume there, or set ConnectionStrings:{ConnectionStringName}.", ex);
        }

        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "orders.db") }.ToString();
    }
}
