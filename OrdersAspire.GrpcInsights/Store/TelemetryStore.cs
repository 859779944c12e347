using OrdersAspire.GrpcInsights.Configuration;

namespace OrdersAspire.GrpcInsights.Store;

/// <summary>The dashboard's in-memory telemetry: one bounded store per signal plus the services seen.</summary>
public sealed class TelemetryStore(TelemetryLimitOptions limits, TimeProvider time)
{
    public TelemetryStore(TelemetryLimitOptions limits)
        : this(limits, TimeProvider.System)
    {
    }

    public TelemetryLimitOptions Limits { get; } = limits;
    public TraceStore Traces { get; } = new(limits.MaxTraceCount);
    public LogStore Logs { get; } = new(limits.MaxLogCount);
    public MetricStore Metrics { get; } = new(limits.MaxMetricsCount);
    public ServiceDirectory Services { get; } = new(time);

    /// <summary>Changes whenever anything was stored; the UI polls it to refresh only when needed.</summary>
    public long Version => Traces.Version + Logs.Version + Metrics.Version + Services.Version;

    public void AddSpans(IReadOnlyList<SpanData> spans)
    {
        Traces.Add(spans);
        CountPerResource(spans, s => s.Resource, TelemetrySignal.Span);
    }

    public void AddLogs(IReadOnlyList<LogEntry> logs)
    {
        Logs.Add(logs);
        CountPerResource(logs, l => l.Resource, TelemetrySignal.Log);
    }

    public void AddMetrics(IReadOnlyList<MetricSample> samples)
    {
        Metrics.Add(samples);
        CountPerResource(samples, s => s.Resource, TelemetrySignal.MetricPoint);
    }

    private void CountPerResource<T>(IReadOnlyList<T> items, Func<T, ResourceIdentity> resourceOf, TelemetrySignal signal)
    {
        foreach (var group in items.GroupBy(resourceOf))
        {
            Services.Seen(group.Key, signal, group.Count());
        }
    }
}
