using System.Diagnostics.Metrics;
using OrdersAspire.Shared;

namespace Orders.Api.Interceptors;

/// <summary>The Meter "Orders.Api": call duration and messages per streaming call (docs/telemetry.md).</summary>
/// <param name="configuration">Where <see cref="RpcSemanticConventions.StabilityOptIn"/> is read; none: the older RPC names only.</param>
public sealed class ServerCallMetrics(IMeterFactory meterFactory, IConfiguration? configuration = null)
{
    private readonly RpcCallHistograms histograms = new(meterFactory.Create(RpcSemanticConventions.OrdersApiSource), "server", configuration);

    /// <summary>Whether the calls' metrics, and so their spans, carry the newer RPC names beside the older ones.</summary>
    public bool NewerRpcNames => histograms.NewerNames;

    public void Record(ServerCallTracker call, TimeSpan elapsed) =>
        histograms.Record(call.WireMethod, (int)call.StatusCode, call.CallType, elapsed, call.Received, call.Sent);
}
