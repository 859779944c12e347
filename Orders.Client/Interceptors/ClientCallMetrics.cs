using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Orders.Client.Output;

namespace Orders.Client.Interceptors;

/// <summary>
/// Client-side RPC metrics on Meter "Orders.Client", in the same two attribute sets as Orders.Api: the newer RPC
/// conventions GrpcNetClient 1.20.1-beta.1 emits (rpc.system.name, full rpc.method, string status, seconds) plus
/// the experimental ones (rpc.system, rpc.service, int status, milliseconds) for older readers.
/// </summary>
public sealed class ClientCallMetrics
{
    public const string MeterName = "Orders.Client";

    private readonly Histogram<double> callDuration;
    private readonly Histogram<double> duration;
    private readonly Histogram<long> requestsPerRpc;
    private readonly Histogram<long> responsesPerRpc;

    public ClientCallMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        callDuration = meter.CreateHistogram<double>("rpc.client.call.duration", "s", "Duration of outbound RPCs, until the last message or status.");
        duration = meter.CreateHistogram<double>("rpc.client.duration", "ms", "Duration of outbound RPCs, until the last message or status.");
        requestsPerRpc = meter.CreateHistogram<long>("rpc.client.requests_per_rpc", "{count}", "Messages sent per RPC.");
        responsesPerRpc = meter.CreateHistogram<long>("rpc.client.responses_per_rpc", "{count}", "Messages received per RPC.");
    }

    public void Record(IMethod method, string callType, StatusCode status, TimeSpan elapsed, int sent, int received)
    {
        var statusName = StatusCodeNames.Canonical(status);
        var tags = new TagList
        {
            { "rpc.system.name", "grpc" },
            { "rpc.method", method.FullName.TrimStart('/') },
            { "rpc.system", "grpc" },
            { "rpc.service", method.ServiceName },
            { "rpc.response.status_code", statusName },
            { "rpc.grpc.status_code", (int)status },
            { "rpc.grpc.call_type", callType },
        };
        if (status != StatusCode.OK)
        {
            tags.Add("error.type", statusName);
        }

        callDuration.Record(elapsed.TotalSeconds, tags);
        duration.Record(elapsed.TotalMilliseconds, tags);
        requestsPerRpc.Record(sent, tags);
        responsesPerRpc.Record(received, tags);
    }
}
