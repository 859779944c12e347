using Microsoft.Data.Sqlite;

namespace Orders.Api.Storage;

/// <summary>Resolves the SQLite connection string: <c>ConnectionStrings:orders</c>, else a file under the content root.</summary>
public static class OrderStoreConnection
{
    public const string ConnectionStringName = "orders";

    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        // Only our own default folder is created; a configured path is the operator's to provide.
        var dataDirectory = Path.Combine(environment.ContentRootPath, "data");
        Directory.CreateDirectory(dataDirectory);
        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "orders.db") }.ToString();
    }
}
