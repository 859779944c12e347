using OrdersAspire.GrpcInsights.Configuration;

namespace OrdersAspire.GrpcInsights.Store;

/// <summary>The insights' in-memory telemetry: the bounded trace store the gRPC calls are read from.</summary>
public sealed class TelemetryStore(TelemetryLimitOptions limits)
{
    public TelemetryLimitOptions Limits { get; } = limits;
    public TraceStore Traces { get; } = new(limits.MaxTraceCount, limits.MaxSpansPerTrace, limits.MaxStoreBytes);
    public TelemetryDrops Drops => Traces.Drops;

    /// <summary>Changes whenever anything was stored; the UI polls it to refresh only when needed.</summary>
    public long Version => Traces.Version;

    public void AddSpans(IReadOnlyList<SpanData> spans) => Traces.Add(spans);
}
