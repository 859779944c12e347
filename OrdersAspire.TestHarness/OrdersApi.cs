using System.Net;

namespace OrdersAspire.TestHarness;

/// <summary>The built Orders.Api as a process on a loopback address (h2c), with a SQLite file in a folder of its own.</summary>
public static class OrdersApi
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts it and waits (bounded) until <paramref name="readyPath"/> answers over h2c.</summary>
    /// <param name="settings">Environment over the app's own settings; a null value removes a variable.</param>
    /// <param name="dataDirectory">The folder of orders.db; a temp folder, deleted once it has stopped, when null.</param>
    /// <param name="address">Where it listens; a free port on 127.0.0.1 when null.</param>
    /// <param name="urlFromEnvironment">The address as ASPNETCORE_URLS (as an AppHost passes it) instead of --urls.</param>
    /// <param name="readyPath"><c>/health</c>: the store answers too; <c>/alive</c>: the process is up.</param>
    /// <param name="stopSignal">Sent on dispose (see <see cref="ServerProcess.Start"/>); null: disposing kills it.</param>
    /// <param name="build">The output folder of Orders.Api built from another checkout; this repository's build when null.</param>
    public static async Task<(ServerProcess Server, Uri Address, string DataDirectory)> StartAsync(
        IReadOnlyDictionary<string, string?> settings, string? dataDirectory = null, Uri? address = null,
        bool urlFromEnvironment = false, string readyPath = "/health", string? stopSignal = null, string? build = null)
    {
        var directory = dataDirectory ?? Directory.CreateTempSubdirectory("orders-api-").FullName;
        address ??= new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var url = address.ToString().TrimEnd('/');
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = urlFromEnvironment ? url : null,
            ["ConnectionStrings__orders"] = $"Data Source={Path.Combine(directory, "orders.db")}",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        // The content root is the working directory, the output folder: appsettings.json must be found there.
        string[] arguments = urlFromEnvironment ? [] : ["--urls", url];
        var program = build is null
            ? Launch.Project("Orders.Api", arguments, environment)
            : Launch.Built(Path.Combine(build, "Orders.Api.dll"), arguments, environment);
        var server = await ServerProcess.StartAsync(program,
            new Uri(address, readyPath), HttpVersion.Version20, StartTimeout, stopSignal, ownedDirectory: dataDirectory is null ? directory : null);
        return (server, address, directory);
    }
}
