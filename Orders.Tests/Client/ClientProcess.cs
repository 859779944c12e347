using System.Diagnostics;
using System.Text;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Client;

/// <summary>What one run of the built Orders.Client printed, and how it exited.</summary>
public sealed record ClientRun(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the built Orders.Client (<c>dotnet Orders.Client.dll …</c>) as a process, every wait bounded.</summary>
public static class ClientProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<ClientRun> RunAsync(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(args, stdin, environment, terminateAfter: null);

    /// <summary>Runs until <paramref name="terminateAfter"/> matches a stdout line, then sends SIGTERM (like Ctrl+C or a stopping AppHost).</summary>
    public static Task<ClientRun> RunUntilAsync(IEnumerable<string> args, Func<IReadOnlyList<string>, bool> terminateAfter) =>
        RunAsync(args, stdin: null, environment: null, terminateAfter);

    private static async Task<ClientRun> RunAsync(
        IEnumerable<string> args, string? stdin, IReadOnlyDictionary<string, string>? environment, Func<IReadOnlyList<string>, bool>? terminateAfter)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(RepositoryPaths.ProjectOutput("Orders.Client"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // Only what the test passes decides where the client connects and whether it exports telemetry.
        startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        startInfo.Environment.Remove("services__orders-api__http__0");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var stdout = ReadLinesAsync(process, terminateAfter, timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            return new ClientRun(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<string> ReadLinesAsync(Process process, Func<IReadOnlyList<string>, bool>? terminateAfter, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
            if (terminateAfter?.Invoke(lines) == true)
            {
                terminateAfter = null;
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync(cancellationToken);
            }
        }

        return string.Join('\n', lines);
    }
}
