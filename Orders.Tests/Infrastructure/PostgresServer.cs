using OrdersAspire.TestHarness;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server (the harness's <see cref="PostgresProcess"/>: Debian's binaries, initdb into a temp folder, a free loopback
/// port, SCRAM login as Aspire's AddPostgres gives one), fsync off since tests throw their data away.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly PostgresProcess postgres = new(FreePort.Next(), durable: false);

    public int Port => postgres.Port;

    public string Password => postgres.Password;

    /// <summary>The connection string Aspire's <c>AddPostgres(…).AddDatabase(database)</c> would inject.</summary>
    public string ConnectionString(string database) => postgres.ConnectionString(database);

    /// <summary>A new, empty database, so tests never see each other's orders.</summary>
    public Task<string> CreateDatabaseAsync() => postgres.CreateDatabaseAsync();

    public Task InitializeAsync() => postgres.InitializeAsync();

    /// <summary>initdb only: the server's port is fixed, nothing listens on it until <see cref="StartAsync"/>.</summary>
    public Task CreateClusterAsync() => postgres.CreateClusterAsync();

    /// <summary>Starts the server on the cluster (again, after <see cref="StopAsync"/>: same data, same port) and waits until it accepts logins.</summary>
    public Task StartAsync() => postgres.StartAsync();

    /// <summary>PostgreSQL's "fast" shutdown (SIGINT): sessions are aborted, the data is checkpointed, the server exits.</summary>
    public Task StopAsync() => postgres.StopAsync();

    public Task DisposeAsync() => postgres.DisposeAsync();
}

/// <summary>One PostgreSQL server shared by every test class that needs one; each test makes its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresServerDefinition : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
