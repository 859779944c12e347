using System.Diagnostics.Metrics;
using Grpc.Core;
using OrdersAspire.Shared;

namespace Orders.Client.Interceptors;

/// <summary>Client-side RPC metrics on Meter "Orders.Client": the twins of Orders.Api's, same names and buckets (docs/telemetry.md).</summary>
public sealed class ClientCallMetrics(IMeterFactory meterFactory)
{
    public const string MeterName = RpcSemanticConventions.OrdersClientSource;

    private readonly RpcCallHistograms histograms = new(meterFactory.Create(MeterName), "client");

    public void Record(IMethod method, string callType, StatusCode status, TimeSpan elapsed, int sent, int received) =>
        histograms.Record(method.FullName, (int)status, callType, elapsed, sent, received);
}
