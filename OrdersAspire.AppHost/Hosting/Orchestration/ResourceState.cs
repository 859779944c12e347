namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>Lifecycle of one replica, named as Aspire's dashboard shows them.</summary>
public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Unhealthy,
    Stopping,
    Exited,
    FailedToStart,
}

/// <summary>What a watcher sees of one replica at one moment.</summary>
public sealed record ReplicaSnapshot(
    string Resource,
    string ResourceType,
    string ReplicaId,
    ResourceState State,
    int? Pid,
    int? ExitCode,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    IReadOnlyList<Uri> Endpoints);
