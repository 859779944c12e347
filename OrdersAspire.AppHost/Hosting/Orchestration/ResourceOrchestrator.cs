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
    // Replicas waiting for their dependencies before a start; a stop or a newer start cancels the wait. Guarded by itself.
    private readonly Dictionary<ResourceReplica, CancellationTokenSource> waits = [];
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

        foreach (var replica in replicas)
        {
            StartWhenReady(replica);
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
        Task[] pending;
        lock (waits)
        {
            pending = [.. starting];
        }

        await Task.WhenAll(pending);
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

    /// <summary>
    /// start | stop | restart of a resource (all its replicas) or of one replica, by name. A start honours WaitFor as the
    /// first one did: the replica waits (state Waiting) until what it waits for is Running.
    /// </summary>
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
                CancelWait(replica);
                await replica.StopAsync(options.StopTimeout);
            }

            if (command is ResourceCommand.Start or ResourceCommand.Restart)
            {
                await StartWhenReady(replica);
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

    /// <summary>Starts the replica now, or once its dependencies are Running; completes when it started or began to wait.</summary>
    private Task StartWhenReady(ResourceReplica replica)
    {
        if (replica.Resource.WaitsFor.Count == 0)
        {
            return stopping.IsCancellationRequested ? Task.CompletedTask : replica.StartAsync();
        }

        lock (waits)
        {
            CancelWait(replica);
            var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            waits[replica] = wait;
            starting.RemoveAll(task => task.IsCompleted);
            starting.Add(WaitThenStartAsync(replica, wait));
        }

        return Task.CompletedTask;
    }

    private async Task WaitThenStartAsync(ResourceReplica replica, CancellationTokenSource wait)
    {
        try
        {
            replica.MarkWaiting();
            foreach (var dependency in replica.Resource.WaitsFor)
            {
                LogWaiting(logger, replica.Id, dependency.Name);
                await notifications.WaitUntilRunningAsync(dependency, wait.Token);
            }

            wait.Token.ThrowIfCancellationRequested();
            await replica.StartAsync();
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            // Stopped, started again, or the AppHost is shutting down before the dependencies became ready.
        }
        finally
        {
            lock (waits)
            {
                if (waits.GetValueOrDefault(replica) == wait)
                {
                    waits.Remove(replica);
                }
            }

            wait.Dispose();
        }
    }

    private void CancelWait(ResourceReplica replica)
    {
        lock (waits)
        {
            if (waits.Remove(replica, out var wait))
            {
                wait.Cancel();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{ReplicaId} waits for {Dependency} to be running")]
    private static partial void LogWaiting(ILogger logger, string replicaId, string dependency);

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
