using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace OrdersAspire.AppHost.Postgres;

/// <summary>
/// PostgreSQL from this machine's binaries, in the shape of Aspire's <c>AddPostgres(…).AddDatabase(…)</c>: the server
/// is an executable resource, healthy once it accepts the superuser's login; each database is created when missing
/// and healthy once it accepts a login of its own.
/// </summary>
internal static class LocalPostgresBuilderExtensions
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, string binDirectory)
    {
        var folder = Path.Combine(dataDirectory, name);
        var password = builder.AddParameter($"{name}-password", ReadOrCreatePassword(builder, folder), secret: true);
        var server = new LocalPostgresServerResource(name, folder, password.Resource);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct));

        // Aspire's AddDatabase contract: databases exist by the time their own health checks run.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (_, ct) =>
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString(connectionString));
            await connection.OpenAsync(ct);
            foreach (var database in server.Databases.Values)
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
                exists.Parameters.AddWithValue("name", database);
                if (await exists.ExecuteScalarAsync(ct) is null)
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                    await create.ExecuteNonQueryAsync(ct);
                }
            }
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => AdminConnectionString(connectionString), name: healthCheckKey);

        return builder.AddResource(server)
            .WithArgs(Path.Combine(AppContext.BaseDirectory, "Postgres", "run-postgres.sh"))
            .WithEndpoint(name: LocalPostgresServerResource.EndpointName, scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithEnvironment("PGDATA", server.DataDirectory)
            .WithEnvironment("POSTGRES_BIN", binDirectory)
            .WithEnvironment("POSTGRES_PASSWORD_FILE", server.PasswordFile)
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey);
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases[name] = database.DatabaseName;

        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, ct) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(ct));

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not known yet."), name: healthCheckKey);

        // Aspire passes a server's state on to its databases only for containers; for this executable it is done here.
        builder.ApplicationBuilder.Eventing.Subscribe<InitializeResourceEvent>(database, (@event, initializing) =>
        {
            var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = MirrorServerStateAsync(@event.Notifications, database, stopping);
            return Task.CompletedTask;
        });

        return builder.ApplicationBuilder.AddResource(database).WithHealthCheck(healthCheckKey);
    }

    private static async Task MirrorServerStateAsync(ResourceNotificationService notifications, LocalPostgresDatabaseResource database, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                if (ReferenceEquals(update.Resource, database.Parent))
                {
                    await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                    {
                        State = update.Snapshot.State,
                        StartTimeStamp = update.Snapshot.StartTimeStamp,
                        StopTimeStamp = update.Snapshot.StopTimeStamp,
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The app is stopping.
        }
    }

    // The server-wide connection: the maintenance database, and no pooling, so a session never outlives a server restart.
    private static string AdminConnectionString(string? connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString ?? throw new InvalidOperationException("The PostgreSQL connection string is not known yet."))
        {
            Database = "postgres",
            Pooling = false,
            Timeout = 5,
        }.ConnectionString;

    /// <summary>The password the cluster was made with; a new one (used by the first initdb) when there is none yet.</summary>
    private static string ReadOrCreatePassword(IDistributedApplicationBuilder builder, string folder)
    {
        var file = Path.Combine(folder, "password");
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        // A cluster without its password file stays as it is: run-postgres.sh then says why it cannot start.
        // (AppHostSettings refuses the local PostgreSQL store on Windows.)
        if (builder.ExecutionContext.IsRunMode && !OperatingSystem.IsWindows() && !Directory.Exists(Path.Combine(folder, "data")))
        {
            Directory.CreateDirectory(folder, OwnerOnly);
            File.WriteAllBytes(file, Encoding.ASCII.GetBytes(password));
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return password;
    }

}
