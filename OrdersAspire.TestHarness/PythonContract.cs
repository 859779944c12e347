using System.Diagnostics;

namespace OrdersAspire.TestHarness;

/// <summary>
/// The Python grpcio client and server of the contract (CrossLanguage/ beside this file), under Debian's /usr/bin/python3.
/// Their stubs are generated from the repository's proto into a temp folder at start.
/// </summary>
public static class PythonContract
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// orders_server.py on a port of its choosing, once it prints "listening &lt;port&gt;"; it stops on SIGTERM (disposing sends it) and by itself
    /// after <paramref name="lifetime"/> (the script's own bound when null), so it never outlives a run.
    /// </summary>
    public static async Task<(ServerProcess Server, Uri Address)> StartServerAsync(TimeSpan? lifetime = null)
    {
        var server = ServerProcess.Start(Script("orders_server.py", ["0", RepositoryPaths.Proto, .. lifetime is { } bound ? [$"{(int)bound.TotalSeconds}"] : Array.Empty<string>()]), stopSignal: "TERM");
        try
        {
            var listening = await server.WaitForLineAsync(line => line.StartsWith("listening ", StringComparison.Ordinal), "it printed \"listening <port>\"", StartTimeout);
            return (server, new Uri($"http://127.0.0.1:{listening["listening ".Length..]}"));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>orders_client.py against <paramref name="target"/> (host:port): one JSON line per step it ran.</summary>
    public static Task<CommandResult> RunClientAsync(string target, TimeSpan timeout) =>
        ExternalCommand.RunAsync(Script("orders_client.py", [target, RepositoryPaths.Proto]), timeout);

    private static ProcessStartInfo Script(string script, IEnumerable<string> arguments) =>
        // Run from the source folder: no bytecode cache written into the repository.
        Launch.Program("/usr/bin/python3", [Path.Combine(RepositoryPaths.Root, "OrdersAspire.TestHarness", "CrossLanguage", script), .. arguments],
            new Dictionary<string, string?> { ["PYTHONDONTWRITEBYTECODE"] = "1" });
}
