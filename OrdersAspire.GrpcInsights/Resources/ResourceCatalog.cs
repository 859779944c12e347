namespace OrdersAspire.GrpcInsights.Resources;

/// <summary>Merges every registered <see cref="IResourceSource"/> into one list, by resource name.</summary>
public sealed class ResourceCatalog(IEnumerable<IResourceSource> sources)
{
    private readonly IReadOnlyList<IResourceSource> _sources = [.. sources];

    public long Version => _sources.Sum(s => s.Version);

    public IReadOnlyList<ResourceView> GetResources() =>
        [.. _sources.SelectMany(s => s.GetResources())
            .GroupBy(r => r.Name, StringComparer.Ordinal)
            .Select(group => group.Aggregate(Merge))
            .OrderBy(r => r.Name, StringComparer.Ordinal)];

    public async Task<bool> ExecuteCommandAsync(string resourceName, string command, CancellationToken cancellationToken)
    {
        foreach (var source in _sources)
        {
            if (await source.ExecuteCommandAsync(resourceName, command, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    // The orchestrator's view (registered first) wins for state and type; instances are joined by id.
    private static ResourceView Merge(ResourceView first, ResourceView second) => first with
    {
        State = first.State ?? second.State,
        Instances = [.. first.Instances.Concat(second.Instances)
            .GroupBy(i => i.InstanceId, StringComparer.Ordinal)
            .Select(g => g.Aggregate((a, b) => a with
            {
                State = a.State ?? b.State,
                ProcessId = a.ProcessId ?? b.ProcessId,
                ExitCode = a.ExitCode ?? b.ExitCode,
                StartedAt = a.StartedAt ?? b.StartedAt,
                LastSeen = a.LastSeen > b.LastSeen || b.LastSeen is null ? a.LastSeen : b.LastSeen,
            }))],
        Endpoints = [.. first.Endpoints.Union(second.Endpoints)],
        ConsoleLog = first.ConsoleLog.Count > 0 ? first.ConsoleLog : second.ConsoleLog,
        Commands = [.. first.Commands.Union(second.Commands)],
    };
}
