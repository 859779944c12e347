using OrdersAspire.TestHarness;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// Runs a built app as its container health-check command (<c>&lt;app&gt; healthcheck</c>) in the app's own folder,
/// with only the given listening settings in its environment, and waits (bounded) for the exit.
/// </summary>
public static class HealthCheckProbe
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    // Settings that tell an app where it listens; the test runner's own must not leak into the probe.
    private static readonly string[] ListeningVariables =
        ["ASPNETCORE_URLS", "DOTNET_URLS", "HTTP_PORTS", "ASPNETCORE_HTTP_PORTS", "DOTNET_HTTP_PORTS", "HTTPS_PORTS", "ASPNETCORE_HTTPS_PORTS"];

    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string project, IReadOnlyDictionary<string, string> environment)
    {
        var dll = RepositoryPaths.ProjectOutput(project);
        Dictionary<string, string?> settings = new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null };
        foreach (var variable in ListeningVariables)
        {
            settings[variable] = null;
        }

        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        var run = await ExternalCommand.RunAsync("dotnet", [dll, "healthcheck"], ExitTimeout, settings, Path.GetDirectoryName(dll)!);
        return new Result(run.ExitCode, run.Stdout + run.Stderr);
    }
}
