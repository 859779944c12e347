using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrdersAspire.AppHost.Hosting.ApplicationModel;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>
/// Runs the app model: starts every resource once the resources it waits for are Running, and on shutdown stops
/// them in reverse declaration order (dependents first; the dashboard, declared first, last).
/// </summary>
/// <remarks>
/// Resources are stopped in <see cref="StoppingAsync"/>, before the AppHost's web server stops: the dashboard keeps
/// watching the stop sequence, and once everything is down the watch streams end with OK, so the server has nothing
/// to drain.
/// </remarks>
internal sealed partial class ResourceOrchestrator(IReadOnlyList<ResourceReplica> replicas, ResourceNotifications notifications,
    AppHostOptions options, ILogger<ResourceOrchestrator> logger) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> starting = [];
    private readonly Lock stopGate = new();
    private Task? stoppingAll;

    public IReadOnlyList<ResourceReplica> Replicas => replicas;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var replica in replicas)
        {
            replica.Announce();
        }

        foreach (var group in replicas.GroupBy(r => r.Resource))
        {
            starting.Add(StartWhenReadyAsync(group.Key, [.. group], stopping.Token));
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => StopAllOnceAsync();

    // Also here, in case the host stops without the lifecycle callbacks (a failed start); stopping runs once.
    public Task StopAsync(CancellationToken cancellationToken) => StopAllOnceAsync();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task StopAllOnceAsync()
    {
        lock (stopGate)
        {
            return stoppingAll ??= StopAllAsync();
        }
    }

    private async Task StopAllAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(starting);
        foreach (var group in replicas.GroupBy(r => r.Resource).Reverse())
        {
            LogStopping(logger, group.Key.Name);
            await Task.WhenAll(group.Select(r => r.StopAsync(options.StopTimeout)));
        }

        notifications.Complete();
        foreach (var replica in replicas)
        {
            replica.Console.Complete();
        }
    }

    /// <summary>start | stop | restart of a resource (all its replicas) or of one replica, by name.</summary>
    public async Task<bool> ExecuteAsync(string target, ResourceCommand command)
    {
        var selected = replicas.Where(r => r.Id == target || r.Resource.Name == target).ToList();
        if (selected.Count == 0)
        {
            return false;
        }

        LogCommand(logger, command, target);
        await Task.WhenAll(selected.Select(async replica =>
        {
            if (command is ResourceCommand.Stop or ResourceCommand.Restart)
            {
                await replica.StopAsync(options.StopTimeout);
            }

            if (command is ResourceCommand.Start or ResourceCommand.Restart)
            {
                await replica.StartAsync();
            }
        }));
        return true;
    }

    public void Dispose()
    {
        stopping.Dispose();
        foreach (var replica in replicas)
        {
            replica.Dispose();
        }
    }

    private async Task StartWhenReadyAsync(ProcessResource resource, IReadOnlyList<ResourceReplica> group, CancellationToken cancellationToken)
    {
        try
        {
            if (resource.WaitsFor.Count > 0)
            {
                foreach (var replica in group)
                {
                    replica.MarkWaiting();
                }

                foreach (var dependency in resource.WaitsFor)
                {
                    LogWaiting(logger, resource.Name, dependency.Name);
                    await notifications.WaitUntilRunningAsync(dependency, cancellationToken);
                }
            }

            await Task.WhenAll(group.Select(r => r.StartAsync()));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The AppHost is shutting down before this resource's dependencies became ready.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} waits for {Dependency} to be running")]
    private static partial void LogWaiting(ILogger logger, string resource, string dependency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping {Resource}")]
    private static partial void LogStopping(ILogger logger, string resource);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} {Target}")]
    private static partial void LogCommand(ILogger logger, ResourceCommand command, string target);
}

public enum ResourceCommand
{
    Start,
    Stop,
    Restart,
}
