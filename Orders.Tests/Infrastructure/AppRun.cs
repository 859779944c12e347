using OrdersAspire.TestHarness;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// One of the built apps run to its end as an operator runs it (<c>dotnet App.dll</c> from its output folder), isolated
/// from this machine's telemetry and addresses: what it prints and how it exits.
/// </summary>
public static class AppRun
{
    /// <param name="settings">Configuration keys (<c>Orders:Processing:BatchSize</c>) given as environment variables.</param>
    public static async Task<CommandResult> RunAsync(string project, IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["ASPNETCORE_URLS"] = null,
            ["ConnectionStrings__orders"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"orders-run-{Guid.NewGuid():N}.db")}",
            // The insights' OTLP endpoints on free ports, so only an address the test names can clash.
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return await ExternalCommand.RunAsync(Launch.Project(project, arguments, environment), TimeSpan.FromSeconds(60));
    }

    /// <summary>The run ended with <paramref name="exitCode"/> and exactly one line on stderr holding each of <paramref name="expected"/>, with no stack trace anywhere.</summary>
    public static string AssertRefusedWithOneLine(CommandResult run, int exitCode, params string[] expected)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var part in expected)
        {
            Assert.Contains(part, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr, StringComparison.Ordinal);
        return line;
    }
}
