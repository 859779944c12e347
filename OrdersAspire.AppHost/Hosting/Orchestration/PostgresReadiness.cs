using Npgsql;
using OrdersAspire.AppHost.Hosting.ApplicationModel;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>A PostgreSQL server is ready once it accepts the superuser's login and every declared database exists (created here when missing, as Aspire's AddDatabase does).</summary>
internal static class PostgresReadiness
{
    public static async Task<bool> IsReadyAsync(PostgresServerResource server, CancellationToken cancellationToken)
    {
        // No pooling: an idle pooled session would outlive a server restart and fail the next probe.
        var settings = new NpgsqlConnectionStringBuilder(server.ConnectionString("postgres")) { Pooling = false, Timeout = 5 };
        try
        {
            await using var connection = new NpgsqlConnection(settings.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            foreach (var database in server.Databases)
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
                exists.Parameters.AddWithValue("name", database);
                if (await exists.ExecuteScalarAsync(cancellationToken) is null)
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            return true;
        }
        catch (NpgsqlException)
        {
            // Not up yet (refused, starting up, shutting down): the next probe asks again.
            return false;
        }
    }
}
