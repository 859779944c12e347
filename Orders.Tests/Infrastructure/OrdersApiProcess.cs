using System.Diagnostics;
using System.Net;
using System.Text;
using Grpc.Net.Client;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// The built Orders.Api running as a real process on a free loopback port (h2c), with its own temp SQLite file.
/// Fault injection and the sample orders are on unless told otherwise (null: as the app's own settings say). Disposing
/// kills it and deletes its folder.
/// </summary>
public sealed class OrdersApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly StringBuilder output = new();

    private readonly bool ownsDataDirectory;

    private OrdersApiProcess(Process process, Uri address, string dataDirectory, bool ownsDataDirectory)
    {
        this.process = process;
        this.ownsDataDirectory = ownsDataDirectory;
        Address = address;
        DataDirectory = dataDirectory;
    }

    /// <summary>e.g. http://127.0.0.1:41234</summary>
    public Uri Address { get; }

    /// <summary>The folder holding orders.db: a temp folder deleted on dispose, unless the caller supplied it.</summary>
    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "orders.db");

    /// <summary>Everything the process wrote to stdout/stderr so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

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
        var dll = RepositoryPaths.ProjectOutput("Orders.Api");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build Orders.Api first.", dll);
        }

        var directory = dataDirectory ?? Directory.CreateTempSubdirectory("orders-api-").FullName;
        address ??= new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            // The content root is the working directory: appsettings.json must be found there.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var url = address.ToString().TrimEnd('/');
        startInfo.ArgumentList.Add(dll);
        startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        startInfo.Environment.Remove("ASPNETCORE_URLS");
        if (urlFromEnvironment)
        {
            startInfo.Environment["ASPNETCORE_URLS"] = url;
        }
        else
        {
            startInfo.ArgumentList.Add("--urls");
            startInfo.ArgumentList.Add(url);
        }

        startInfo.Environment["ConnectionStrings__orders"] = $"Data Source={Path.Combine(directory, "orders.db")}";
        SetSwitch(startInfo, "Orders__FaultInjection__Enabled", faultInjection);
        SetSwitch(startInfo, "Orders__SeedSampleData", seedSampleData);
        // Tests read every call's lines: its start (Trace, with the redacted metadata) and its end (Debug when OK).
        // A setting may turn them off again.
        startInfo.Environment["Logging__LogLevel__Orders.Api"] = "Trace";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var api = new OrdersApiProcess(process, address, directory, ownsDataDirectory: dataDirectory is null);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await api.WaitUntilAnswersAsync(waitForStore ? "/health" : "/alive");
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
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
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
        if (ownsDataDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

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

    private async Task WaitUntilAnswersAsync(string path)
    {
        using var http = CreateHttpClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                // Exit can be seen before the output readers reach end of stream; the message needs all of it.
                using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(drained.Token);
                throw new InvalidOperationException($"Orders.Api exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A probe timed out; try again while time is left.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Orders.Api at {Address} did not answer {path} within {StartTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static void SetSwitch(ProcessStartInfo startInfo, string variable, bool? value)
    {
        if (value is { } on)
        {
            startInfo.Environment[variable] = on ? "true" : "false";
        }
        else
        {
            startInfo.Environment.Remove(variable);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; failing a passed test over it is not.
        }
    }
}
