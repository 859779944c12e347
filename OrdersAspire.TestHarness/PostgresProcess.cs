using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using OrdersAspire.Shared;

namespace OrdersAspire.TestHarness;

/// <summary>
/// A throwaway PostgreSQL server from Debian's binaries: initdb into a temp folder, postgres on a free loopback port
/// with password (SCRAM) login, as Aspire's AddPostgres gives one. PostgreSQL refuses to run as root, so under root
/// (CI) it runs as the <c>postgres</c> system user. It dies with the process that started it, even when that is killed.
/// The tests' PostgreSQL fixture runs one, and so does the benchmark of Orders.Api on PostgreSQL.
/// </summary>
/// <param name="durable">fsync as shipped; otherwise off, which tests may afford (their data is thrown away) and benchmarks may not.</param>
public sealed class PostgresProcess(int port, bool durable)
{
    private const string SetPriv = "/usr/bin/setpriv";

    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    // setpriv options that drop root to the postgres user; none when the tests already run unprivileged.
    private static readonly string[] ServerUser = Environment.IsPrivilegedProcess ? ["--reuid=postgres", "--regid=postgres", "--clear-groups"] : [];

    private readonly string folder = Directory.CreateTempSubdirectory("orders-postgres-").FullName;
    private readonly string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly string bin = PostgresBinaries.Newest()
        ?? throw new InvalidOperationException($"No PostgreSQL server under {PostgresBinaries.SearchRoot}: install Debian's postgresql (test.sh does).");
    private ServerProcess? server;
    private TaskCompletionSource? launcherReleased;

    public int Port { get; } = port;

    /// <summary>The connection string Aspire's <c>AddPostgres(…).AddDatabase(database)</c> would inject.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={password};Database={database}";

    public string Password => password;

    /// <summary>A new, empty database, so tests never see each other's orders.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var database = $"orders_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    public async Task InitializeAsync()
    {
        await CreateClusterAsync();
        await StartAsync();
    }

    /// <summary>initdb only: the server's port is fixed, nothing listens on it until <see cref="StartAsync"/>.</summary>
    public async Task CreateClusterAsync()
    {
        var passwordFile = Path.Combine(folder, "password");
        await File.WriteAllTextAsync(passwordFile, password);
        if (Environment.IsPrivilegedProcess)
        {
            await RunToEndAsync("chown", ["-R", "postgres:postgres", folder]);
        }

        await RunToEndAsync(SetPriv, [.. ServerUser, "--", Path.Combine(bin, "initdb"), "-D", DataDirectory, "-U", "postgres",
            $"--pwfile={passwordFile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-instructions", "--no-sync"]);
    }

    /// <summary>Starts the server on the cluster (again, after <see cref="StopAsync"/>: same data, same port) and waits until it accepts logins.</summary>
    public async Task StartAsync()
    {
        // The launching thread must outlive the server: --pdeathsig fires when the thread that forked it ends.
        var launched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource();
        new Thread(() =>
        {
            try
            {
                server = ServerProcess.Start(Launch.Program(SetPriv, [.. ServerUser, "--pdeathsig", "SIGKILL", "--", Path.Combine(bin, "postgres"), "-D", DataDirectory,
                    "-p", $"{Port}", "-k", folder, "-c", "listen_addresses=127.0.0.1", "-c", $"fsync={(durable ? "on" : "off")}"]));
                launcherReleased = released;
                launched.SetResult();
            }
            catch (Exception ex)
            {
                launched.SetException(ex);
                return;
            }

            released.Task.Wait();
        }) { IsBackground = true, Name = "PostgreSQL launcher" }.Start();
        await launched.Task;
        await WaitUntilAcceptingAsync();
    }

    /// <summary>PostgreSQL's "fast" shutdown (SIGINT): sessions are aborted, the data is checkpointed, the server exits.</summary>
    public async Task StopAsync()
    {
        if (server is null)
        {
            return;
        }

        await server.StopAsync("INT", TimeSpan.FromSeconds(15));
        launcherReleased?.TrySetResult();
        await server.DisposeAsync();
        server = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private string DataDirectory => Path.Combine(folder, "data");

    private static async Task RunToEndAsync(string fileName, string[] arguments) =>
        (await ExternalCommand.RunAsync(fileName, arguments, Bounded)).EnsureSuccess();

    private async Task WaitUntilAcceptingAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (clock.Elapsed < Bounded && server is { HasExited: false })
            {
                await Task.Delay(100);
            }
            catch (NpgsqlException ex)
            {
                throw new InvalidOperationException($"PostgreSQL on port {Port} did not accept connections:\n{server?.Output}", ex);
            }
        }
    }
}
