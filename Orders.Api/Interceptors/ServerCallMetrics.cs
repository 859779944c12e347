using System.Diagnostics.Metrics;
using OrdersAspire.Shared;

namespace Orders.Api.Interceptors;

/// <summary>The Meter "Orders.Api": call duration and messages per call (docs/telemetry.md).</summary>
public sealed class ServerCallMetrics(IMeterFactory meterFactory)
{
    private readonly RpcCallHistograms histograms = new(meterFactory.Create(RpcSemanticConventions.OrdersApiSource), "server");

    public void Record(ServerCallTracker call, TimeSpan elapsed) =>
        histograms.Record(call.WireMethod, (int)call.StatusCode, call.CallType, elapsed, call.Received, call.Sent);
}
