using System.Net;
using Grpc.Net.Client;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// The built Orders.Api running as a real process on a free loopback port (h2c), with its own temp SQLite file.
/// Fault injection and the sample orders are on unless told otherwise (null: as the app's own settings say). Disposing
/// kills it and deletes its folder.
/// </summary>
public sealed class OrdersApiProcess : IAsyncDisposable
{
    private readonly ServerProcess process;

    private OrdersApiProcess(ServerProcess process, Uri address, string dataDirectory)
    {
        this.process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    /// <summary>e.g. http://127.0.0.1:41234</summary>
    public Uri Address { get; }

    /// <summary>The folder holding orders.db: a temp folder deleted on dispose, unless the caller supplied it.</summary>
    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "orders.db");

    /// <summary>Everything the process wrote to stdout/stderr so far (for failure messages).</summary>
    public string Output => process.Output;

    /// <summary>Starts the service and waits (bounded) until /health answers Healthy over h2c.</summary>
    /// <param name="urlFromEnvironment">Pass the address as ASPNETCORE_URLS (as an AppHost does) instead of --urls.</param>
    /// <param name="waitForStore">False: wait only until it is alive (<c>/alive</c>), for a store that is not reachable yet.</param>
    /// <param name="address">Where to listen (a loopback address); a free port on 127.0.0.1 when null.</param>
    public static async Task<OrdersApiProcess> StartAsync(
        bool? faultInjection = true,
        bool? seedSampleData = true,
        IReadOnlyDictionary<string, string>? environment = null,
        string? dataDirectory = null,
        bool urlFromEnvironment = false,
        bool waitForStore = true,
        Uri? address = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orders__FaultInjection__Enabled"] = Switch(faultInjection),
            ["Orders__SeedSampleData"] = Switch(seedSampleData),
            // Tests read every call's lines: its start (Trace, with the redacted metadata) and its end (Debug when OK).
            // A setting may turn them off again.
            ["Logging__LogLevel__Orders.Api"] = "Trace",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var (process, listening, directory) = await OrdersApi.StartAsync(
            settings, dataDirectory, address, urlFromEnvironment, waitForStore ? "/health" : "/alive");
        return new OrdersApiProcess(process, listening, directory);
    }

    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Address);

    /// <summary>
    /// The server's own log line for the call carrying <paramref name="requestId"/> (status, the deadline it received,
    /// counts, whether the handler saw cancellation), waiting (bounded) for the console.
    /// </summary>
    public async Task<ServerCallLines> CallLogAsync(string requestId)
    {
        bool IsEnd(string line) => line.Contains(" ended ", StringComparison.Ordinal) && line.EndsWith($"; request id {requestId}", StringComparison.Ordinal);
        string[] Lines(string text) => [.. text.Split('\n').Select(line => line.TrimEnd())];

        var lines = Lines(await Eventually.HoldsAsync(
            () => Task.FromResult(Output), text => Lines(text).Any(IsEnd),
            $"the server's end-of-call log line for request id {requestId}", timeoutSeconds: 30));
        return new ServerCallLines(lines.Single(IsEnd));
    }

    /// <summary>SIGKILL (Process.Kill): no shutdown of any kind, as a crash or an OOM kill would stop it. Waits for the exit.</summary>
    public Task KillAsync() => process.KillAsync();

    public ValueTask DisposeAsync() => process.DisposeAsync();

    /// <summary>The status code of a GET on <paramref name="path"/> (e.g. <c>/health</c>) over h2c.</summary>
    public async Task<HttpStatusCode> GetStatusAsync(string path)
    {
        using var http = CreateHttpClient();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>True until the process exits: tests that take its store away check it never did.</summary>
    public bool IsRunning => !process.HasExited;

    private HttpClient CreateHttpClient() => new()
    {
        BaseAddress = Address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(5),
    };

    private static string? Switch(bool? value) => value switch
    {
        true => "true",
        false => "false",
        null => null,
    };
}
