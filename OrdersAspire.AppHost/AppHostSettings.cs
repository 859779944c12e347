using System.Globalization;
using Microsoft.Extensions.Configuration;
using Orders.Client.Parsing;
using OrdersAspire.Shared;

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
    private const int DefaultReplicas = 1;
    private const int MaxReplicas = 16;
    private const string DefaultLoopInterval = "5s";
    private const string DefaultStore = "sqlite";
    private const string DefaultAuthentication = "off";

    /// <summary>Every setting: its name, its default and what it accepts (what --help prints).</summary>
    public static IReadOnlyList<(string Name, string Default, string Accepts)> All { get; } =
    [
        (ReplicasKey, $"{DefaultReplicas}", $"orders-api replicas, a whole number from 1 to {MaxReplicas}"),
        (LoopIntervalKey, DefaultLoopInterval, "the pause between scenario runs: 500ms, 5s, 1m"),
        (StoreKey, DefaultStore, "sqlite (<data-dir>/orders.db) or postgres (PostgreSQL run from this machine's binaries)"),
        (DataDirectoryKey, DefaultDataDirectory(), "a folder this user can create and write: the SQLite file or the PostgreSQL cluster"),
        (PostgresBinKey, $"newest {PostgresBinaries.SearchRoot}/*/bin", "a folder holding postgres and initdb (store postgres only)"),
        (AuthenticationKey, DefaultAuthentication, "on (orders-api checks bearer tokens; orders-client gets one) or off"),
    ];

    /// <summary>The settings, or null after one line on stderr naming the bad setting and what it accepts.</summary>
    public static AppHostSettings? Read(IConfiguration configuration, DistributedApplicationExecutionContext executionContext)
    {
        try
        {
            var settings = From(configuration);
            if (executionContext.IsRunMode)
            {
                EnsureWritable(settings.DataDirectory);
            }

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
        var store = ParseStore(Value(configuration, StoreKey));
        return new(
            Replicas: ParseReplicas(Value(configuration, ReplicasKey)),
            LoopInterval: ParseLoopInterval(Value(configuration, LoopIntervalKey)),
            Store: store,
            DataDirectory: ParseDataDirectory(Value(configuration, DataDirectoryKey)),
            PostgresBinDirectory: store is OrderStoreKind.Postgres ? FindPostgresBin(Value(configuration, PostgresBinKey)) : null,
            Authentication: ParseOnOff(AuthenticationKey, Value(configuration, AuthenticationKey)));
    }

    /// <summary>The setting's value, null when it is not set; an empty value (<c>--data-dir ''</c>) is refused, never read as the default.</summary>
    private static string? Value(IConfiguration configuration, string key) =>
        configuration[key] is "" ? throw new AppHostSettingsException($"{key}: '' is empty; give a value, or leave {key} out for its default ({All.First(s => s.Name == key).Default}).")
        : configuration[key];

    private static int ParseReplicas(string? value) =>
        value is null ? DefaultReplicas
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) && replicas is >= 1 and <= MaxReplicas ? replicas
        : throw new AppHostSettingsException($"{ReplicasKey}: '{value}' is not a whole number from 1 to {MaxReplicas}.");

    private static string ParseLoopInterval(string? value) =>
        value is null ? DefaultLoopInterval
        : DurationParser.Check(value, out _) is { } problem ? throw new AppHostSettingsException($"{LoopIntervalKey}: '{value}' {problem}.")
        : value;

    private static OrderStoreKind ParseStore(string? value) => value?.ToLowerInvariant() switch
    {
        null or DefaultStore => OrderStoreKind.Sqlite,
        "postgres" => OrderStoreKind.Postgres,
        _ => throw new AppHostSettingsException($"{StoreKey}: '{value}' is not a store (use sqlite or postgres)."),
    };

    private static bool ParseOnOff(string key, string? value) => value?.ToLowerInvariant() switch
    {
        null or DefaultAuthentication => false,
        "on" => true,
        _ => throw new AppHostSettingsException($"{key}: '{value}' is neither on nor off."),
    };

    /// <summary>The named bin folder, or the newest <c>/usr/lib/postgresql/*/bin</c>; either must hold postgres and initdb.</summary>
    private static string FindPostgresBin(string? value)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new AppHostSettingsException($"{StoreKey}: postgres runs PostgreSQL through bash and setpriv, on Linux only; use sqlite here.");
        }

        if (value is not null)
        {
            return PostgresBinaries.Holds(value) ? Path.GetFullPath(value) : throw new AppHostSettingsException($"{PostgresBinKey}: '{value}' has no postgres and initdb.");
        }

        return PostgresBinaries.Newest()
            ?? throw new AppHostSettingsException($"{StoreKey}: postgres needs PostgreSQL in {PostgresBinaries.SearchRoot}/*/bin (Debian: apt-get install postgresql), or its bin folder as {PostgresBinKey}.");
    }

    private static string ParseDataDirectory(string? value)
    {
        var directory = Path.GetFullPath(value ?? DefaultDataDirectory());
        return File.Exists(directory)
            ? throw new AppHostSettingsException($"{DataDirectoryKey}: '{directory}' is a file, not a folder.")
            : directory;
    }

    /// <summary>Creates the folder and a file in it, so a folder that cannot hold the store is refused before anything starts.</summary>
    private static void EnsureWritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AppHostSettingsException($"{DataDirectoryKey}: '{directory}' cannot be created or written ({ex.Message}); choose a folder this user can write.");
        }
    }

    private static string DefaultDataDirectory() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "OrdersAspire");
}

internal enum OrderStoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>A bad argument or setting, or a taken fixed port: one line naming it, then <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class AppHostSettingsException(string message) : Exception(message);
