using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orders.Api.Interceptors;

/// <summary>The Meter "Orders.Api": call duration and messages per call.</summary>
public sealed class ServerCallMetrics
{
    private readonly Histogram<double> callDuration;
    private readonly Histogram<double> duration;
    private readonly Histogram<long> requestsPerRpc;
    private readonly Histogram<long> responsesPerRpc;

    public ServerCallMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ServerTelemetry.SourceName);

        // The newer semconv's histogram (seconds) matches GrpcNetClient; the experimental one (ms) serves older readers.
        callDuration = meter.CreateHistogram<double>("rpc.server.call.duration", "s", "Duration of inbound RPCs, until the last message.");
        duration = meter.CreateHistogram<double>("rpc.server.duration", "ms", "Duration of inbound RPCs, until the last message.");
        requestsPerRpc = meter.CreateHistogram<long>("rpc.server.requests_per_rpc", "{count}", "Messages received per RPC.");
        responsesPerRpc = meter.CreateHistogram<long>("rpc.server.responses_per_rpc", "{count}", "Messages sent per RPC.");
    }

    public void Record(ServerCallObservation call, TimeSpan elapsed)
    {
        var tags = new TagList();
        foreach (var tag in call.IdentityTags(includeStatus: true))
        {
            tags.Add(tag);
        }

        tags.Add(ServerTelemetry.CallType, call.CallType);
        callDuration.Record(elapsed.TotalSeconds, tags);
        duration.Record(elapsed.TotalMilliseconds, tags);
        requestsPerRpc.Record(call.Received, tags);
        responsesPerRpc.Record(call.Sent, tags);
    }
}
