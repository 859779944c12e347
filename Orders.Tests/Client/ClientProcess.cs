using OrdersAspire.TestHarness;

namespace Orders.Tests.Client;

/// <summary>Runs the built Orders.Client (<c>dotnet Orders.Client.dll …</c>) as a process, every wait bounded.</summary>
public static class ClientProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<CommandResult> RunAsync(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(args, stdin, environment, terminateAfter: null);

    /// <summary>Runs until <paramref name="terminateAfter"/> matches a stdout line, then sends SIGTERM (like Ctrl+C or a stopping AppHost).</summary>
    public static Task<CommandResult> RunUntilAsync(IEnumerable<string> args, Func<IReadOnlyList<string>, bool> terminateAfter) =>
        RunAsync(args, stdin: null, environment: null, terminateAfter);

    private static Task<CommandResult> RunAsync(
        IEnumerable<string> args, string? stdin, IReadOnlyDictionary<string, string>? environment, Func<IReadOnlyList<string>, bool>? terminateAfter)
    {
        // Only what the test passes decides where the client connects and whether it exports telemetry.
        var settings = new Dictionary<string, string?> { ["services__orders-api__http__0"] = null };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }

        return ExternalCommand.RunAsync(Launch.Project("Orders.Client", args, settings), Timeout, stdin, terminateAfter);
    }
}
