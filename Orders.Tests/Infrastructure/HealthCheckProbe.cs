using System.Diagnostics;

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
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(dll);
        startInfo.ArgumentList.Add("healthcheck");
        startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var variable in ListeningVariables)
        {
            startInfo.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ExitTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{project} healthcheck did not exit within {ExitTimeout}.");
        }

        return new Result(process.ExitCode, (await stdout) + (await stderr));
    }
}
