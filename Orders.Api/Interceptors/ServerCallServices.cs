using Orders.Api.Options;

namespace Orders.Api.Interceptors;

/// <summary>What every <see cref="ServerCallTracker"/> uses and none owns: one reference per call instead of four.</summary>
internal sealed record ServerCallServices(ILogger Logger, ServerCallMetrics Metrics, TimeProvider TimeProvider, TelemetryOptions Telemetry)
{
    /// <summary>The span's RPC names follow the metrics': both carry the newer names, or neither.</summary>
    public bool NewerRpcNames => Metrics.NewerRpcNames;
}
