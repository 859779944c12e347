using System.Diagnostics;
using System.Text;

namespace OrdersAspire.TestHarness;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public CommandResult EnsureSuccess() =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"`{Command}` failed: {this}");

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs a program to its end within a time bound; a program that overruns it is killed with its children. An
/// environment entry with a null value removes that variable from what the program inherits.
/// </summary>
public static class ExternalCommand
{
    public static Task<CommandResult> RunAsync(
        string program, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, string stdin = "") =>
        RunAsync(Launch.Program(program, arguments, environment, workingDirectory), timeout, stdin);

    /// <summary>
    /// Runs <paramref name="info"/> (see <see cref="Launch"/>) to its end; once the stdout lines so far satisfy
    /// <paramref name="terminateWhen"/>, it is sent SIGTERM (as Ctrl+C or a stopping AppHost would), once.
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        ProcessStartInfo info, TimeSpan timeout, string? stdin = "", Func<IReadOnlyList<string>, bool>? terminateWhen = null)
    {
        info.RedirectStandardInput = true;
        info.StandardOutputEncoding = Encoding.UTF8;
        var command = $"{info.FileName} {string.Join(' ', info.ArgumentList)}";
        using var process = Process.Start(info)!;
        using var deadline = new CancellationTokenSource(timeout);
        // Read to their end, which a kill brings too: what an overrunning command printed goes into its message.
        var stdout = ReadLinesAsync(process, terminateWhen);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
            await process.WaitForExitAsync(deadline.Token);
            return new CommandResult(command, process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"`{command}` did not finish within {timeout.TotalSeconds:0} s:\n{await stdout}\n{await stderr}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<string> ReadLinesAsync(Process process, Func<IReadOnlyList<string>, bool>? terminateWhen)
    {
        var lines = new List<string>();
        var text = new StringBuilder();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            text.Append(line).Append('\n');
            lines.Add(line);
            if (terminateWhen?.Invoke(lines) == true)
            {
                terminateWhen = null;
                GracefulStop.Signal(process, "TERM");
            }
        }

        return text.ToString();
    }
}
