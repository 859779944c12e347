using Microsoft.Extensions.Configuration;
using OrdersAspire.AppHost.Hosting.Orchestration;

namespace OrdersAspire.AppHost.Hosting;

/// <summary>
/// What the AppHost reads from its command line and environment — the same variables Aspire's AppHost reads
/// for its dashboard, plus a few switches of ours.
/// </summary>
public sealed record AppHostOptions
{
    public const string DefaultDashboardUrl = "http://127.0.0.1:18888";
    public const string DefaultDashboardOtlpGrpcUrl = "http://127.0.0.1:18889";
    public const string DefaultDashboardOtlpHttpUrl = "http://127.0.0.1:18890";

    /// <summary>Folder for durable resource data (SQLite files, PostgreSQL clusters); survives AppHost restarts.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where orders are kept (--store sqlite|postgres).</summary>
    public OrderStore Store { get; init; } = OrderStore.Sqlite;

    /// <summary>PostgreSQL's bin folder (--postgres-bin); null: the newest /usr/lib/postgresql/*/bin.</summary>
    public string? PostgresBinDirectory { get; init; }

    /// <summary>Start our dashboard (false with --no-dashboard).</summary>
    public bool DashboardEnabled { get; init; } = true;

    public string DashboardUrls { get; init; } = DefaultDashboardUrl;

    public string DashboardOtlpGrpcUrl { get; init; } = DefaultDashboardOtlpGrpcUrl;

    public string DashboardOtlpHttpUrl { get; init; } = DefaultDashboardOtlpHttpUrl;

    /// <summary>Where the services export OTLP: --otlp-endpoint, a pre-set OTEL_EXPORTER_OTLP_ENDPOINT, or our dashboard.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Required by our dashboard's OTLP endpoints when set (--otlp-api-key, or generated beyond loopback).</summary>
    public string? OtlpApiKey { get; init; }

    /// <summary>What the services send as x-otlp-api-key: an explicit --otlp-api-key, or our dashboard's own key when they export to it.</summary>
    public string? ServiceOtlpApiKey { get; init; }

    /// <summary>Login token for our dashboard's UI; set (and printed as a login URL) when the UI listens beyond loopback.</summary>
    public string? BrowserToken { get; init; }

    /// <summary>The AppHost's own gRPC resource service, which feeds the dashboard's Resources page.</summary>
    public required Uri ResourceServiceUrl { get; init; }

    /// <summary>How long a resource gets after SIGTERM before it is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static AppHostOptions From(IConfiguration configuration)
    {
        var dashboardEnabled = !configuration.GetValue("no-dashboard", false);
        var dashboardOtlp = configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] ?? DefaultDashboardOtlpGrpcUrl;
        var explicitOtlp = configuration["otlp-endpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var dashboardUrls = configuration["ASPNETCORE_URLS"] ?? DefaultDashboardUrl;
        var explicitKey = configuration["otlp-api-key"];
        // Secure by default, as Aspire: a dashboard reachable beyond loopback gets a random OTLP key and login token.
        var dashboardKey = explicitKey ?? (dashboardEnabled && !IsLoopbackOnly(dashboardOtlp) ? RandomSecret() : null);

        return new AppHostOptions
        {
            DataDirectory = Path.GetFullPath(configuration["data-dir"] ?? DefaultDataDirectory()),
            Store = ParseStore(configuration["store"]),
            PostgresBinDirectory = configuration["postgres-bin"] is { Length: > 0 } bin ? Path.GetFullPath(bin) : null,
            DashboardEnabled = dashboardEnabled,
            DashboardUrls = dashboardUrls,
            DashboardOtlpGrpcUrl = dashboardOtlp,
            DashboardOtlpHttpUrl = configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] ?? DefaultDashboardOtlpHttpUrl,
            OtlpEndpoint = explicitOtlp ?? (dashboardEnabled ? FirstUrl(dashboardOtlp) : null),
            OtlpApiKey = dashboardKey,
            ServiceOtlpApiKey = explicitKey ?? (explicitOtlp is null ? dashboardKey : null),
            BrowserToken = dashboardEnabled && !IsLoopbackOnly(dashboardUrls) ? RandomSecret() : null,
            ResourceServiceUrl = new Uri(configuration["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] ?? $"http://127.0.0.1:{FreePort.Next()}"),
            StopTimeout = TimeSpan.FromSeconds(configuration.GetValue("stop-timeout", 10.0)),
        };
    }

    /// <summary>Flags without a value (--no-dashboard) become key=true so the command-line provider accepts them.</summary>
    public static string[] NormalizeFlags(string[] args) =>
        [.. args.Select(arg => arg == "--no-dashboard" ? "--no-dashboard=true" : arg)];

    private static OrderStore ParseStore(string? value) => value?.ToLowerInvariant() switch
    {
        null or "sqlite" => OrderStore.Sqlite,
        "postgres" => OrderStore.Postgres,
        _ => throw new AppHostUsageException($"--store must be sqlite or postgres, not '{value}'."),
    };

    private static string DefaultDataDirectory() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "OrdersAspire");

    private static string RandomSecret() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private static bool IsLoopbackOnly(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .All(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host == "localhost"));

    // ASPNETCORE_URLS-style values may list several addresses separated by ';'.
    private static string FirstUrl(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
}

public enum OrderStore
{
    Sqlite,
    Postgres,
}
