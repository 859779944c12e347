using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using OrdersAspire.Shared;

namespace Orders.Client.Interceptors;

/// <summary>Client-side RPC metrics on Meter "Orders.Client": the twins of Orders.Api's, same names and buckets (docs/telemetry.md).</summary>
/// <param name="configuration">Where <see cref="RpcSemanticConventions.StabilityOptIn"/> is read; none: the older RPC names only.</param>
public sealed class ClientCallMetrics(IMeterFactory meterFactory, IConfiguration? configuration = null)
{
    public const string MeterName = RpcSemanticConventions.OrdersClientSource;

    private readonly RpcCallHistograms histograms = new(meterFactory.Create(MeterName), "client", configuration);

    public void Record(IMethod method, string callType, StatusCode status, TimeSpan elapsed, int sent, int received) =>
        histograms.Record(method.FullName, (int)status, callType, elapsed, sent, received);
}
