using System.Text.RegularExpressions;
using Grpc.Core;
using OrdersAspire.GrpcInsights.Resources;
using static OrdersAspire.ResourceService.ResourceService;
using ResourceCommand = OrdersAspire.ResourceService.ResourceCommand;

namespace OrdersAspire.GrpcInsights.ResourceService;

/// <summary>
/// Resources as the AppHost runs them, watched over its resource service: live state per replica, PIDs, exit codes,
/// endpoints, console output, and the start/stop/restart commands. Reconnects when the AppHost restarts.
/// </summary>
public sealed partial class AppHostResourceSource(ResourceServiceClient client, ILogger<AppHostResourceSource> logger)
    : BackgroundService, IResourceSource
{
    private const int ConsoleLinesPerResource = 500;
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);
    private static readonly string[] CommandOrder = ["start", "stop", "restart"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, OrdersAspire.ResourceService.ReplicaUpdate> _replicas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<string>> _consoles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastLine = new(StringComparer.Ordinal);
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyList<ResourceView> GetResources()
    {
        lock (_gate)
        {
            return [.. _replicas.Values.GroupBy(r => r.ResourceName, StringComparer.Ordinal).Select(group => new ResourceView(group.Key, group.First().ResourceType)
            {
                State = string.Join(", ", group.GroupBy(r => r.State).Select(s => group.Count() == 1 || s.Count() == group.Count() ? $"{s.Key}" : $"{s.Key} {s.Count()}/{group.Count()}")),
                Instances = [.. group.Select(r => new ResourceInstance(r.ReplicaId)
                {
                    State = r.State.ToString(),
                    ProcessId = r.HasPid ? r.Pid : null,
                    ExitCode = r.HasExitCode ? r.ExitCode : null,
                    StartedAt = r.StartedAt?.ToDateTime(),
                })],
                Endpoints = [.. group.SelectMany(r => r.Endpoints)],
                ConsoleLog = _consoles.TryGetValue(group.Key, out var lines) ? [.. lines] : [],
                // Any replica's command applies to the resource: one exited replica of two makes "start" available.
                Commands = [.. CommandOrder.Where(command => group.Any(r => r.Commands.Contains(command)))],
            })];
        }
    }

    public async Task<bool> ExecuteCommandAsync(string resourceName, string command, CancellationToken cancellationToken)
    {
        ResourceCommand? parsed = command switch
        {
            "start" => ResourceCommand.Start,
            "stop" => ResourceCommand.Stop,
            "restart" => ResourceCommand.Restart,
            _ => null,
        };
        bool known;
        lock (_gate)
        {
            known = _replicas.Values.Any(r => r.ResourceName == resourceName);
        }

        if (parsed is null || !known)
        {
            return false;
        }

        await client.ExecuteCommandAsync(new() { Name = resourceName, Command = parsed.Value }, cancellationToken: cancellationToken);
        return true;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => KeepWatchingAsync("resources", async () =>
    {
        using var call = client.WatchResources(new(), cancellationToken: stoppingToken);
        await foreach (var update in call.ResponseStream.ReadAllAsync(stoppingToken))
        {
            bool first;
            lock (_gate)
            {
                first = _replicas.Values.All(r => r.ResourceName != update.ResourceName);
                _replicas[update.ReplicaId] = update;
            }

            if (first)
            {
                _ = WatchConsoleAsync(update.ResourceName, stoppingToken);
            }

            Interlocked.Increment(ref _version);
        }
    }, stoppingToken);

    private Task WatchConsoleAsync(string resource, CancellationToken stoppingToken) => KeepWatchingAsync(resource, async () =>
    {
        using var call = client.WatchConsoleLogs(new() { Name = resource }, cancellationToken: stoppingToken);
        await foreach (var line in call.ResponseStream.ReadAllAsync(stoppingToken))
        {
            lock (_gate)
            {
                // After a reconnect the AppHost resends what it retained; keep each line once.
                if (_lastLine.GetValueOrDefault(line.ReplicaId) >= line.LineNumber)
                {
                    continue;
                }

                _lastLine[line.ReplicaId] = line.LineNumber;
                var lines = _consoles.TryGetValue(resource, out var existing) ? existing : _consoles[resource] = new Queue<string>();
                if (lines.Count == ConsoleLinesPerResource)
                {
                    lines.Dequeue();
                }

                // Children write ANSI colours (Aspire's console contract); the page shows plain text.
                lines.Enqueue($"{line.ReplicaId} | {AnsiEscape().Replace(line.Text, "")}");
            }

            Interlocked.Increment(ref _version);
        }
    }, stoppingToken);

    private async Task KeepWatchingAsync(string what, Func<Task> watch, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await watch();
            }
            catch (RpcException ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogWatchFailed(what, ex.StatusCode);
            }
            catch (Exception ex) when (ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } && stoppingToken.IsCancellationRequested)
            {
                // The dashboard is stopping: grpc-dotnet reports the cancelled watch as an RpcException (Cancelled).
                return;
            }

            try
            {
                await Task.Delay(Reconnect, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watching {What} on the AppHost's resource service failed ({StatusCode}); retrying")]
    private partial void LogWatchFailed(string what, StatusCode statusCode);
}
