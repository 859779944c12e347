using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrdersAspire.AppHost.Hosting.ApplicationModel;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>One child process of a resource: starts it, echoes its console, probes its readiness, stops it.</summary>
internal sealed partial class ResourceReplica(ProcessResource resource, string id, Uri? endpoint, IReplicaRunner runner,
    ResourceNotifications notifications, TimeProvider time, ILogger<ResourceReplica> logger) : IDisposable
{
    private const int CrashReportLines = 10;
    private static readonly TimeSpan ProbeWhileStarting = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeWhileRunning = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim lifecycle = new(1, 1);
    private readonly string endpointText = endpoint?.ToString() ?? "none";
    private readonly ConsoleEcho consoleEcho = new(resource.Name, id);
    private IReadOnlyDictionary<string, string?> environment = new Dictionary<string, string?>();
    private Process? process;
    private Task? exited;
    private CancellationTokenSource? probing;
    private bool stopRequested;

    public ProcessResource Resource => resource;

    public string Id => id;

    public Uri? Endpoint => endpoint;

    public ConsoleLog Console { get; } = new();

    public ReplicaSnapshot Snapshot { get; private set; } =
        new(resource.Name, resource.ResourceType, id, ResourceState.NotStarted, null, null, null, null, endpoint is null ? [] : [endpoint]);

    // Process.HasExited throws once the process object is disposed; the exit watcher is the source of truth.
    private bool IsProcessAlive => exited is { IsCompleted: false };

    /// <summary>The environment every start of this replica gets (fixed at build: ports and ids never change).</summary>
    public void Configure(IReadOnlyDictionary<string, string?> variables) => environment = variables;

    /// <summary>Makes the replica visible to watchers before anything happens to it.</summary>
    public void Announce() => notifications.Publish(() => Snapshot);

    /// <summary>Waiting for its dependencies; a replica whose process still runs keeps its state.</summary>
    public void MarkWaiting()
    {
        if (!IsProcessAlive)
        {
            Publish(s => s with { State = ResourceState.Waiting });
        }
    }

    public async Task StartAsync()
    {
        await lifecycle.WaitAsync();
        try
        {
            if (IsProcessAlive)
            {
                return;
            }

            process?.Dispose();
            stopRequested = false;
            Publish(s => s with { State = ResourceState.Starting, Pid = null, ExitCode = null, StoppedAt = null });
            try
            {
                process = await runner.StartAsync(environment, Echo);
            }
            catch (Exception ex) when (ex is ResourceStartException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                FailToStart(ex.Message);
                return;
            }

            Publish(s => s with { Pid = process.Id, StartedAt = time.GetUtcNow() });
            LogStarted(logger, id, process.Id, endpointText);
            probing?.Dispose();
            probing = new CancellationTokenSource();
            exited = WatchExitAsync(process, probing);
            if (runner.ReadinessCheck is { } check)
            {
                _ = ProbeAsync(check, probing.Token);
            }
            else
            {
                Publish(s => s with { State = ResourceState.Running });
            }
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <summary>The runner's stop signal (SIGTERM, SIGINT), then SIGKILL of the whole tree after the timeout.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        await lifecycle.WaitAsync();
        try
        {
            stopRequested = true;
            if (process is null || exited is null || !IsProcessAlive)
            {
                if (Snapshot.State is ResourceState.Waiting)
                {
                    Publish(s => s with { State = ResourceState.NotStarted });
                }

                return;
            }

            Publish(s => s with { State = ResourceState.Stopping });
            await probing!.CancelAsync();
            if (!PosixSignals.Send(process.Id, runner.StopSignal) || await Task.WhenAny(exited, Task.Delay(timeout, time)) != exited)
            {
                LogKilled(logger, id, timeout.TotalSeconds, runner.StopSignal);
                process.Kill(entireProcessTree: true);
            }

            await exited;
        }
        finally
        {
            lifecycle.Release();
        }
    }

    public void Dispose()
    {
        process?.Dispose();
        probing?.Dispose();
        lifecycle.Dispose();
    }

    private async Task WatchExitAsync(Process child, CancellationTokenSource stopProbing)
    {
        // Also waits until stdout/stderr are drained, so the last lines are in the log before Exited is published.
        await child.WaitForExitAsync();
        await stopProbing.CancelAsync();
        Publish(s => s with { State = ResourceState.Exited, ExitCode = child.ExitCode, StoppedAt = time.GetUtcNow() });
        if (!stopRequested && child.ExitCode != 0)
        {
            LogCrashed(logger, id, child.ExitCode, string.Join(System.Environment.NewLine, Console.Tail(CrashReportLines).Select(l => l.Text)));
        }
    }

    private async Task ProbeAsync(Func<CancellationToken, Task<bool>> check, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                bool healthy;
                try
                {
                    healthy = await check(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A probe that breaks must not end probing: the replica would stay Starting for good.
                    LogProbeFailed(logger, id, ex);
                    healthy = false;
                }

                Publish(s => (healthy, s.State) switch
                {
                    (true, ResourceState.Starting or ResourceState.Unhealthy) => s with { State = ResourceState.Running },
                    (false, ResourceState.Running) => s with { State = ResourceState.Unhealthy },
                    _ => s,
                });
                await Task.Delay(Snapshot.State is ResourceState.Running ? ProbeWhileRunning : ProbeWhileStarting, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The process exited or is being stopped; WatchExitAsync publishes the final state.
        }
    }

    private void FailToStart(string reason)
    {
        Console.Add(reason, isError: true, time.GetUtcNow());
        Publish(s => s with { State = ResourceState.FailedToStart });
        LogFailedToStart(logger, id, reason);
    }

    private void Echo(string line, bool isError)
    {
        Console.Add(line, isError, time.GetUtcNow());
        System.Console.Out.WriteLine(consoleEcho.Format(line));
    }

    private void Publish(Func<ReplicaSnapshot, ReplicaSnapshot> change) => notifications.Publish(() =>
    {
        var next = change(Snapshot);
        // A late probe result never overrides Stopping/Exited.
        if (next == Snapshot || Snapshot.State is ResourceState.Stopping or ResourceState.Exited && next.State is ResourceState.Running or ResourceState.Unhealthy)
        {
            return null;
        }

        if (next.State == ResourceState.Exited && Snapshot.State != ResourceState.Exited)
        {
            LogExited(logger, id, next.ExitCode ?? -1);
        }
        else if (next.State != Snapshot.State)
        {
            LogState(logger, id, next.State);
        }

        return Snapshot = next;
    });

    [LoggerMessage(Level = LogLevel.Information, Message = "{ReplicaId} started: pid {Pid}, endpoint {Endpoint}")]
    private static partial void LogStarted(ILogger logger, string replicaId, int pid, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ReplicaId} is {State}")]
    private static partial void LogState(ILogger logger, string replicaId, ResourceState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ReplicaId} is Exited with code {ExitCode}")]
    private static partial void LogExited(ILogger logger, string replicaId, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ReplicaId} did not stop within {TimeoutSeconds} s of {Signal}; killing it")]
    private static partial void LogKilled(ILogger logger, string replicaId, double timeoutSeconds, StopSignal signal);

    [LoggerMessage(Level = LogLevel.Error, Message = "{ReplicaId} exited with code {ExitCode}; last console lines:\n{LastLines}")]
    private static partial void LogCrashed(ILogger logger, string replicaId, int exitCode, string lastLines);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ReplicaId}: the readiness probe failed; counted as not ready")]
    private static partial void LogProbeFailed(ILogger logger, string replicaId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{ReplicaId} failed to start: {Reason}")]
    private static partial void LogFailedToStart(ILogger logger, string replicaId, string reason);
}
