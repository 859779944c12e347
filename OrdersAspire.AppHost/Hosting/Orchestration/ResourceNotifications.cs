using OrdersAspire.AppHost.Hosting.ApplicationModel;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>The latest snapshot of every replica, and a stream of changes for the resource service and WaitFor.</summary>
internal sealed class ResourceNotifications
{
    private readonly Dictionary<string, ReplicaSnapshot> latest = new(StringComparer.Ordinal);
    private readonly Broadcaster<ReplicaSnapshot> changes = new();

    public IReadOnlyList<ReplicaSnapshot> Current()
    {
        lock (latest)
        {
            return [.. latest.Values];
        }
    }

    public void Publish(Func<ReplicaSnapshot?> change) => changes.Publish(() =>
    {
        if (change() is not { } snapshot)
        {
            return null;
        }

        lock (latest)
        {
            latest[snapshot.ReplicaId] = snapshot;
        }

        return snapshot;
    });

    /// <summary>The current snapshots, then every change until <see cref="Complete"/>.</summary>
    public IAsyncEnumerable<ReplicaSnapshot> WatchAsync(CancellationToken cancellationToken) => changes.WatchAsync(Current, cancellationToken);

    /// <summary>No more changes (every resource is stopped): watchers get what is queued, then their stream ends.</summary>
    public void Complete() => changes.Complete();

    /// <summary>Completes once every replica of <paramref name="resource"/> is Running (healthy, when it has a health check).</summary>
    public async Task WaitUntilRunningAsync(ProcessResource resource, CancellationToken cancellationToken)
    {
        await foreach (var _ in WatchAsync(cancellationToken))
        {
            var running = Current().Count(s => s.Resource == resource.Name && s.State == ResourceState.Running);
            if (running == resource.Replicas)
            {
                return;
            }
        }

        throw new OperationCanceledException($"The AppHost stopped before {resource.Name} was running.");
    }
}
