using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using OrdersAspire.Shared;

namespace OrdersAspire.Shared;

/// <summary>
/// A throwaway PostgreSQL server from Debian's binaries: initdb into a temp folder, postgres on a free loopback port
/// with password (SCRAM) login, as Aspire's AddPostgres gives one. PostgreSQL refuses to run as root, so under root
/// (CI) it runs as the <c>postgres</c> system user. It dies with the process that started it, even when that is killed.
/// The tests' PostgreSQL fixture runs one, and so does the benchmark harness for Orders.Api on PostgreSQL.
/// </summary>
/// <param name="durable">fsync as shipped; otherwise off, which tests may afford (their data is thrown away) and benchmarks may not.</param>
internal sealed class PostgresProcess(int port, bool durable)
{
    private const string SetPriv = "/usr/bin/setpriv";

    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    // setpriv options that drop root to the postgres user; none when the tests already run unprivileged.
    private static readonly string[] ServerUser = Environment.IsPrivilegedProcess ? ["--reuid=postgres", "--regid=postgres", "--clear-groups"] : [];

    private readonly string folder = Directory.CreateTempSubdirectory("orders-postgres-").FullName;
    private readonly string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly StringBuilder output = new();
    private readonly string bin = FindBinDirectory();
    private Process? server;
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
                server = Start(SetPriv, [.. ServerUser, "--pdeathsig", "SIGKILL", "--", Path.Combine(bin, "postgres"), "-D", DataDirectory,
                    "-p", $"{Port}", "-k", folder, "-c", "listen_addresses=127.0.0.1", "-c", $"fsync={(durable ? "on" : "off")}"]);
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

        await GracefulStop.StopAsync(server, "INT", TimeSpan.FromSeconds(15));
        launcherReleased?.TrySetResult();
        server.Dispose();
        server = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private string DataDirectory => Path.Combine(folder, "data");

    private string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private static string FindBinDirectory() =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
            .OrderByDescending(bin => bin, StringComparer.Ordinal)
            .FirstOrDefault()
        ?? throw new InvalidOperationException("No PostgreSQL server under /usr/lib/postgresql: install Debian's postgresql (test.sh does).");

    private async Task RunToEndAsync(string fileName, string[] arguments)
    {
        using var process = Start(fileName, arguments);
        using var timeout = new CancellationTokenSource(Bounded);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', arguments)} exited with {process.ExitCode}:\n{Output}");
        }
    }

    private Process Start(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

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
                throw new InvalidOperationException($"PostgreSQL on port {Port} did not accept connections:\n{Output}", ex);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
