namespace OrdersAspire.GrpcInsights.Resources;

/// <summary>One running copy of a resource (a process, a replica).</summary>
public sealed record ResourceInstance(string InstanceId)
{
    public string? State { get; init; }
    public int? ProcessId { get; init; }
    public int? ExitCode { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? LastSeen { get; init; }
}

/// <summary>A resource as one source knows it; the catalog merges what several sources say about the same name.</summary>
public sealed record ResourceView(string Name, string Type)
{
    public string? State { get; init; }
    public IReadOnlyList<ResourceInstance> Instances { get; init; } = [];
    public IReadOnlyList<string> Endpoints { get; init; } = [];
    public IReadOnlyList<string> ConsoleLog { get; init; } = [];
    /// <summary>Commands the user may run on it (e.g. "stop", "start", "restart").</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];
    public DateTime? LastSeen => Instances.Max(i => i.LastSeen);
}

/// <summary>
/// Something that knows the app's resources. Telemetry is one source; an orchestrator (the AppHost, through
/// DOTNET_RESOURCE_SERVICE_ENDPOINT_URL as in Aspire) can register another with live state and commands.
/// </summary>
public interface IResourceSource
{
    /// <summary>Increases when the source's resources changed, so pages refresh only then.</summary>
    long Version { get; }

    IReadOnlyList<ResourceView> GetResources();

    /// <summary>Runs a resource command; sources without commands return false.</summary>
    Task<bool> ExecuteCommandAsync(string resourceName, string command, CancellationToken cancellationToken) => Task.FromResult(false);
}
