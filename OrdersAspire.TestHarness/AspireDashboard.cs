using System.Net;
using System.Reflection;

namespace OrdersAspire.TestHarness;

/// <summary>
/// The real Aspire dashboard the AppHost launches (restored with the AppHost's SDK), run standalone on loopback as the
/// AppHost configures it: OTLP/gRPC unsecured, UI and telemetry API on one port, the API behind an API key.
/// </summary>
public static class AspireDashboard
{
    /// <summary>The header the telemetry API reads its key from.</summary>
    public const string ApiKeyHeader = "x-api-key";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static string ExecutablePath { get; } = typeof(AspireDashboard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AspireDashboardPath").Value!;

    /// <summary>Starts it and waits until its telemetry API answers; <paramref name="settings"/> go over the AppHost's (e.g. telemetry limits).</summary>
    public static async Task<ServerProcess> StartAsync(string apiKey, Uri ui, Uri otlpGrpc, IReadOnlyDictionary<string, string?>? settings = null)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new FileNotFoundException($"Build the solution first: restoring the AppHost brings the Aspire dashboard ({ExecutablePath} is missing).", ExecutablePath);
        }

        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = ui.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = otlpGrpc.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Dashboard__Frontend__AuthMode"] = "Unsecured",
            ["Dashboard__Otlp__AuthMode"] = "Unsecured",
            ["Dashboard__Api__Enabled"] = "true",
            ["Dashboard__Api__AuthMode"] = "ApiKey",
            ["Dashboard__Api__PrimaryApiKey"] = apiKey,
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return await ServerProcess.StartAsync(Launch.Program(ExecutablePath, [], environment, Path.GetDirectoryName(ExecutablePath)),
            new Uri(ui, "/api/telemetry/resources"), HttpVersion.Version11, StartTimeout, headers: new Dictionary<string, string> { [ApiKeyHeader] = apiKey });
    }
}
