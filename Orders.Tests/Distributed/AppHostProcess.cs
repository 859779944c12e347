using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Ecommerce;
using Grpc.Core;
using Grpc.Net.Client;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>
/// The AppHost as users run it: a real <c>dotnet OrdersAspire.AppHost.dll</c> process on free loopback ports, whose
/// console the test reads to learn replica PIDs, endpoints and states. Dispose kills it and every child it reported.
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly ConcurrentDictionary<string, ReplicaInfo> replicas = new();
    private readonly SemaphoreSlim outputArrived = new(0);

    private AppHostProcess(Process process) => this.process = process;

    public int Pid => process.Id;

    public IReadOnlyCollection<ReplicaInfo> Replicas => [.. replicas.Values];

    public string Output => string.Join('\n', output);

    public static AppHostProcess Start(string dataDirectory, AppHostPorts ports, params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppHostAssembly)!,
        };
        foreach (var argument in (string[])[AppHostAssembly, "--data-dir", dataDirectory, "--stop-timeout", "15", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports.DashboardUi}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{ports.OtlpGrpc}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{ports.OtlpHttp}";
        info.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{ports.ResourceService}";
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new AppHostProcess(process);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until every replica of <paramref name="resource"/> the AppHost started reports <paramref name="state"/>.</summary>
    public Task<IReadOnlyList<ReplicaInfo>> WaitForStateAsync(string resource, string state, int replicaCount = 1, TimeSpan? timeout = null) =>
        WaitAsync(() =>
        {
            var matching = replicas.Values.Where(r => r.Resource == resource).ToList();
            return matching.Count == replicaCount && matching.All(r => r.State == state) ? (IReadOnlyList<ReplicaInfo>)matching : null;
        }, $"{replicaCount} × {resource} {state}", timeout);

    public Task<ReplicaInfo> WaitForReplicaAsync(Func<ReplicaInfo, bool> predicate, string what, TimeSpan? timeout = null) =>
        WaitAsync(() => replicas.Values.FirstOrDefault(predicate), what, timeout);

    public Task<string> WaitForOutputAsync(string text, TimeSpan? timeout = null) =>
        WaitAsync(() => output.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)), $"output '{text}'", timeout);

    /// <summary>What a service manager or Ctrl+C-less shutdown sends: the AppHost should stop everything and exit 0.</summary>
    public void Terminate() => ProcessTable.Signal("-TERM", process.Id);

    /// <summary>No chance to clean up: children must die with the AppHost anyway.</summary>
    public void KillHard() => ProcessTable.Signal("-KILL", process.Id);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        foreach (var replica in replicas.Values.Where(r => ProcessTable.IsAlive(r.Pid)))
        {
            try
            {
                using var orphan = Process.GetProcessById(replica.Pid);
                orphan.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        process.Dispose();
        outputArrived.Dispose();
    }

    private async Task<T> WaitAsync<T>(Func<T?> probe, string what, TimeSpan? timeout) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            if (probe() is { } result)
            {
                return result;
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(Path.GetTempPath(), $"apphost-{process.Id}.log");
                await File.WriteAllTextAsync(log, Output);
                throw new TimeoutException($"Waited for {what}; AppHost {(process.HasExited ? $"exited with {process.ExitCode}" : "still running")}; full output in {log}. Last lines:\n{Tail(40)}");
            }

            await outputArrived.WaitAsync(TimeSpan.FromMilliseconds(500));
        }
    }

    private string Tail(int lines) => string.Join('\n', output.TakeLast(lines));

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        if (StartedLine().Match(line) is { Success: true } started)
        {
            var id = started.Groups["id"].Value;
            var endpoint = started.Groups["endpoint"].Value;
            replicas[id] = new ReplicaInfo(id, ResourceOf(id), int.Parse(started.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture),
                endpoint == "none" ? null : new Uri(endpoint), replicas.TryGetValue(id, out var known) ? known.State : "Starting");
        }
        else if (StateLine().Match(line) is { Success: true } state && replicas.TryGetValue(state.Groups["id"].Value, out var replica))
        {
            replicas[replica.Id] = replica with { State = state.Groups["state"].Value };
        }

        outputArrived.Release();
    }

    // Replica ids are <resource>-<8 hex digits>.
    private static string ResourceOf(string replicaId) => replicaId[..replicaId.LastIndexOf('-')];

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    private static string AppHostAssembly => RepositoryPaths.ProjectOutput("OrdersAspire.AppHost");

    [GeneratedRegex(@"(?<id>[a-z0-9-]+-[0-9a-f]{8}) started: pid (?<pid>\d+), endpoint (?<endpoint>\S+)")]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"(?<id>[a-z0-9-]+-[0-9a-f]{8}) is (?<state>[A-Za-z]+)(?: with code -?\d+)?$")]
    private static partial Regex StateLine();
}

public sealed record ReplicaInfo(string Id, string Resource, int Pid, Uri? Endpoint, string State)
{
    /// <summary>One unary call to this replica of orders-api over its own endpoint.</summary>
    public async Task<TResult> CallAsync<TResult>(Func<OrderManagement.OrderManagementClient, AsyncUnaryCall<TResult>> call)
    {
        using var channel = GrpcChannel.ForAddress(Endpoint!);
        return await call(new OrderManagement.OrderManagementClient(channel));
    }
}

/// <summary>Free loopback ports for one AppHost run (several suites may run on this machine at once).</summary>
public sealed record AppHostPorts(int DashboardUi, int OtlpGrpc, int OtlpHttp, int ResourceService)
{
    public static AppHostPorts Free() => new(FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());

    public Uri DashboardUrl => new($"http://127.0.0.1:{DashboardUi}");

    public Uri ResourceServiceUrl => new($"http://127.0.0.1:{ResourceService}");
}

/// <summary>/proc lookups (a zombie, reaped later by init, counts as gone) and kill(1).</summary>
public static class ProcessTable
{
    public static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 3, after the parenthesised command name, is the state letter.
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task<bool> AllGoneAsync(IEnumerable<int> pids, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (pids.Any(IsAlive))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>The environment a running process was started with.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentOf(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Length > 1 ? g.Last()[1] : "", StringComparer.Ordinal);
}
