using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrdersAspire.AppHost.Hosting.ApplicationModel;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>
/// A PostgreSQL server replica: initdb on first start (SCRAM login with the resource's password), then postgres on
/// 127.0.0.1:port, TCP only; ready once it accepts a login and its databases exist; SIGINT is its fast shutdown.
/// PostgreSQL refuses to run as root, so under root it runs as the postgres user, which then owns the folder.
/// </summary>
internal sealed class PostgresRunner(PostgresServerResource server, string? binDirectory, ProcessLauncher launcher) : IReplicaRunner
{
    private const string SearchRoot = "/usr/lib/postgresql";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(1);
    // initdb, chown and test need nothing beyond the AppHost's own environment.
    private static readonly Dictionary<string, string?> Inherited = [];

    private static string? ServerUser => Environment.IsPrivilegedProcess ? PostgresServerResource.UserName : null;

    public StopSignal StopSignal => StopSignal.SigInt;

    public Func<CancellationToken, Task<bool>>? ReadinessCheck => cancellationToken => PostgresReadiness.IsReadyAsync(server, cancellationToken);

    public async Task<Process> StartAsync(IReadOnlyDictionary<string, string?> environment, Action<string, bool> onLine)
    {
        var bin = FindBinDirectory();
        await PrepareFolderAsync(onLine);
        if (!File.Exists(Path.Combine(server.DataDirectory, "PG_VERSION")))
        {
            await RunToEndAsync(Path.Combine(bin, "initdb"), ["-D", server.DataDirectory, "-U", PostgresServerResource.UserName,
                $"--pwfile={server.PasswordFile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-instructions"], ServerUser, onLine);
        }

        // An empty socket directory list means TCP only: a Unix socket path under a long --data-dir could exceed 107 bytes.
        return await launcher.StartAsync(Path.Combine(bin, "postgres"),
            ["-D", server.DataDirectory, "-p", $"{server.Port}", "-c", "listen_addresses=127.0.0.1", "-k", ""],
            server.Folder, environment, onLine, ServerUser);
    }

    private string FindBinDirectory()
    {
        if (binDirectory is not null)
        {
            return HasServer(binDirectory) ? binDirectory : throw new ResourceStartException($"--postgres-bin {binDirectory} has no postgres and initdb.");
        }

        return (Directory.Exists(SearchRoot) ? Directory.GetDirectories(SearchRoot) : [])
            .Select(version => Path.Combine(version, "bin"))
            .Where(HasServer)
            // Version folders are "15", "9.6": compared as numbers, the newest first.
            .OrderByDescending(bin => decimal.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), NumberStyles.Float, CultureInfo.InvariantCulture, out var version) ? version : 0)
            .FirstOrDefault()
            ?? throw new ResourceStartException($"No PostgreSQL found in {SearchRoot}/*/bin: install it (Debian: apt-get install postgresql) or pass --postgres-bin <dir>.");
    }

    private static bool HasServer(string bin) => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb"));

    private async Task PrepareFolderAsync(Action<string, bool> onLine)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new ResourceStartException("The PostgreSQL resource runs on Linux and macOS only.");
        }

        try
        {
            // The data folder keeps the default mode (others may need to pass through it); the server's own folder holds the password.
            Directory.CreateDirectory(Path.GetDirectoryName(server.Folder)!);
            Directory.CreateDirectory(server.Folder, OwnerOnly);
            if (!File.Exists(server.PasswordFile))
            {
                if (Directory.Exists(server.DataDirectory))
                {
                    throw new ResourceStartException($"{server.PasswordFile} is missing, so the password of the cluster in {server.DataDirectory} is unknown; delete {server.Folder} to start afresh.");
                }

                await using var file = new FileStream(server.PasswordFile, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                await file.WriteAsync(Encoding.ASCII.GetBytes(server.Password));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ResourceStartException($"Cannot prepare {server.Folder}: {ex.Message}");
        }

        if (ServerUser is { } user)
        {
            await RunToEndAsync("chown", [$"{user}:{user}", server.Folder, server.PasswordFile], runAs: null, onLine);
            // access(2) as that user checks every parent folder too, exactly as initdb and postgres will meet them.
            if (await RunAsync("test", ["-w", server.Folder, "-a", "-x", server.Folder], user, onLine) != 0)
            {
                throw new ResourceStartException($"PostgreSQL runs as the {user} user (the AppHost runs as root), and {user} cannot reach {server.Folder}: " +
                    "let others traverse every parent folder (chmod o+x) or choose another --data-dir.");
            }
        }
    }

    private async Task RunToEndAsync(string fileName, IEnumerable<string> arguments, string? runAs, Action<string, bool> onLine)
    {
        if (await RunAsync(fileName, arguments, runAs, onLine) is not 0 and var exitCode)
        {
            throw new ResourceStartException($"{Path.GetFileName(fileName)} exited with code {exitCode} (its output is above).");
        }
    }

    private async Task<int> RunAsync(string fileName, IEnumerable<string> arguments, string? runAs, Action<string, bool> onLine)
    {
        using var process = await launcher.StartAsync(fileName, arguments, server.Folder, Inherited, onLine, runAs);
        using var timeout = new CancellationTokenSource(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new ResourceStartException($"{Path.GetFileName(fileName)} did not finish within {ToolTimeout.TotalSeconds} s.");
        }
    }
}
