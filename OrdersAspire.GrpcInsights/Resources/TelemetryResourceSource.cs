using OrdersAspire.GrpcInsights.Store;

namespace OrdersAspire.GrpcInsights.Resources;

/// <summary>Resources as telemetry reveals them: service.name, its service.instance.id values and when each was last heard from.</summary>
public sealed class TelemetryResourceSource(TelemetryStore store) : IResourceSource
{
    public long Version => store.Services.Version;

    public IReadOnlyList<ResourceView> GetResources() =>
        [.. store.Services.Services().Select(service => new ResourceView(service.Name, "Service")
        {
            Instances = [.. service.Instances.Select(i => new ResourceInstance(i.InstanceId) { LastSeen = i.LastSeen, StartedAt = i.FirstSeen })],
        })];
}
