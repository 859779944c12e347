namespace OrdersAspire.GrpcInsights.Store;

public sealed record ServiceInstanceView(string InstanceId, DateTime FirstSeen, DateTime LastSeen, long Spans, long Logs, long MetricPoints);

public sealed record ServiceView(string Name, IReadOnlyList<ServiceInstanceView> Instances)
{
    public DateTime LastSeen => Instances.Max(i => i.LastSeen);
}

public enum TelemetrySignal
{
    Span,
    Log,
    MetricPoint,
}

/// <summary>
/// Every service (and service instance) that has sent telemetry, with when and how much. Instance ids come from
/// senders, so past MaxInstanceCount the one heard from longest ago is forgotten.
/// </summary>
public sealed class ServiceDirectory(TimeProvider time, int maxInstanceCount = ServiceDirectory.DefaultMaxInstanceCount)
{
    public const int DefaultMaxInstanceCount = 1_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<ResourceIdentity, Counters> _instances = [];
    private long _sequence;
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Seen(ResourceIdentity resource, TelemetrySignal signal, int count)
    {
        if (count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        lock (_lock)
        {
            if (!_instances.TryGetValue(resource, out var counters))
            {
                if (_instances.Count >= maxInstanceCount)
                {
                    // A linear scan, but only when a new instance arrives at a full directory.
                    _instances.Remove(_instances.MinBy(pair => pair.Value.LastSeenSequence).Key);
                }

                _instances[resource] = counters = new Counters { FirstSeen = now };
            }

            counters.LastSeen = now;
            counters.LastSeenSequence = ++_sequence;
            counters.Counts[(int)signal] += count;
        }

        Interlocked.Increment(ref _version);
    }

    public IReadOnlyList<ServiceView> Services()
    {
        lock (_lock)
        {
            return [.. _instances
                .GroupBy(pair => pair.Key.ServiceName)
                .OrderBy(group => group.Key, StringComparer.Ordinal)
                .Select(group => new ServiceView(group.Key, [.. group
                    .OrderBy(pair => pair.Key.InstanceId, StringComparer.Ordinal)
                    .Select(pair => new ServiceInstanceView(pair.Key.InstanceId, pair.Value.FirstSeen, pair.Value.LastSeen,
                        pair.Value.Counts[0], pair.Value.Counts[1], pair.Value.Counts[2]))]))];
        }
    }

    private sealed class Counters
    {
        public DateTime FirstSeen { get; init; }
        public DateTime LastSeen { get; set; }
        public long LastSeenSequence { get; set; }
        public long[] Counts { get; } = new long[3];
    }
}
