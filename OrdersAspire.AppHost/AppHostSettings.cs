using System.Globalization;
using Microsoft.Extensions.Configuration;
using Orders.Client.Parsing;

namespace OrdersAspire.AppHost;

/// <summary>
/// The AppHost's own settings, read from the command line (<c>--replicas 2</c>), appsettings.json or the environment,
/// and checked before anything starts.
/// </summary>
internal sealed record AppHostSettings(
    int Replicas, string LoopInterval, OrderStoreKind Store, string DataDirectory, string? PostgresBinDirectory, bool Authentication)
{
    public const string ReplicasKey = "replicas";
    public const string LoopIntervalKey = "loop-interval";
    public const string StoreKey = "store";
    public const string DataDirectoryKey = "data-dir";
    public const string PostgresBinKey = "postgres-bin";
    public const string AuthenticationKey = "auth";
    private const int MaxReplicas = 16;

    /// <summary>The settings, or null after one line on stderr naming the bad setting and what it accepts.</summary>
    public static AppHostSettings? Read(IConfiguration configuration, DistributedApplicationExecutionContext executionContext)
    {
        try
        {
            var settings = From(configuration);
            // Randomized ports (as under Aspire.Hosting.Testing) move the dashboard off its configured ones.
            if (executionContext.IsRunMode && !configuration.GetValue("DcpPublisher:RandomizePorts", false))
            {
                DashboardPorts.EnsureFree(configuration);
            }

            return settings;
        }
        catch (AppHostSettingsException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return null;
        }
    }

    public static AppHostSettings From(IConfiguration configuration)
    {
        var store = ParseStore(configuration[StoreKey]);
        return new(
            Replicas: ParseReplicas(configuration[ReplicasKey]),
            LoopInterval: ParseLoopInterval(configuration[LoopIntervalKey]),
            Store: store,
            DataDirectory: ParseDataDirectory(configuration[DataDirectoryKey]),
            PostgresBinDirectory: store is OrderStoreKind.Postgres ? FindPostgresBin(configuration[PostgresBinKey]) : null,
            Authentication: ParseOnOff(AuthenticationKey, configuration[AuthenticationKey]));
    }

    private static int ParseReplicas(string? value) =>
        value is null ? 1
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) && replicas is >= 1 and <= MaxReplicas ? replicas
        : throw new AppHostSettingsException($"{ReplicasKey}: '{value}' is not a whole number from 1 to {MaxReplicas}.");

    private static string ParseLoopInterval(string? value) =>
        value is null ? "5s"
        : DurationParser.Check(value, out _) is { } problem ? throw new AppHostSettingsException($"{LoopIntervalKey}: '{value}' {problem}.")
        : value;

    private static OrderStoreKind ParseStore(string? value) => value?.ToLowerInvariant() switch
    {
        null or "sqlite" => OrderStoreKind.Sqlite,
        "postgres" => OrderStoreKind.Postgres,
        _ => throw new AppHostSettingsException($"{StoreKey}: '{value}' is not a store (use sqlite or postgres)."),
    };

    private static bool ParseOnOff(string key, string? value) => value?.ToLowerInvariant() switch
    {
        null or "off" => false,
        "on" => true,
        _ => throw new AppHostSettingsException($"{key}: '{value}' is neither on nor off."),
    };

    /// <summary>The named bin folder, or the newest <c>/usr/lib/postgresql/*/bin</c>; either must hold postgres and initdb.</summary>
    private static string FindPostgresBin(string? value)
    {
        const string searchRoot = "/usr/lib/postgresql";
        if (OperatingSystem.IsWindows())
        {
            throw new AppHostSettingsException($"{StoreKey}: postgres runs PostgreSQL through bash and setpriv, on Linux only; use sqlite here.");
        }

        if (value is { Length: > 0 })
        {
            return HasPostgres(value) ? Path.GetFullPath(value) : throw new AppHostSettingsException($"{PostgresBinKey}: '{value}' has no postgres and initdb.");
        }

        return (Directory.Exists(searchRoot) ? Directory.GetDirectories(searchRoot) : [])
            .Select(version => Path.Combine(version, "bin"))
            .Where(HasPostgres)
            // Version folders are "15", "9.6": compared as numbers, the newest first.
            .OrderByDescending(bin => decimal.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), NumberStyles.Float, CultureInfo.InvariantCulture, out var version) ? version : 0)
            .FirstOrDefault()
            ?? throw new AppHostSettingsException($"{StoreKey}: postgres needs PostgreSQL in {searchRoot}/*/bin (Debian: apt-get install postgresql), or its bin folder as {PostgresBinKey}.");
    }

    private static bool HasPostgres(string bin) => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb"));

    private static string ParseDataDirectory(string? value)
    {
        var directory = Path.GetFullPath(value is { Length: > 0 } ? value : DefaultDataDirectory());
        return File.Exists(directory)
            ? throw new AppHostSettingsException($"{DataDirectoryKey}: '{directory}' is a file, not a folder.")
            : directory;
    }

    private static string DefaultDataDirectory() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "OrdersAspire");
}

internal enum OrderStoreKind
{
    Sqlite,
    Postgres,
}

internal sealed class AppHostSettingsException(string message) : Exception(message);
