using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Orders.Client.Output;

namespace Orders.Client.Interceptors;

/// <summary>Client-side RPC metrics on Meter "Orders.Client", named like the experimental OpenTelemetry RPC conventions the server uses.</summary>
public sealed class ClientCallMetrics
{
    public const string MeterName = "Orders.Client";

    private readonly Histogram<double> duration;
    private readonly Histogram<long> requestsPerRpc;
    private readonly Histogram<long> responsesPerRpc;
    private readonly bool emitStableStatusCode;

    public ClientCallMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        duration = meter.CreateHistogram<double>("rpc.client.duration", "ms", "Duration of outbound RPCs, until the last message or status.");
        requestsPerRpc = meter.CreateHistogram<long>("rpc.client.requests_per_rpc", "{count}", "Messages sent per RPC.");
        responsesPerRpc = meter.CreateHistogram<long>("rpc.client.responses_per_rpc", "{count}", "Messages received per RPC.");
        // GrpcNetClient switches to the string status code when the stable RPC conventions are opted into; follow it.
        emitStableStatusCode = Environment.GetEnvironmentVariable("OTEL_SEMCONV_STABILITY_OPT_IN")?.Contains("rpc", StringComparison.OrdinalIgnoreCase) == true;
    }

    public void Record(string service, string method, string callType, StatusCode status, TimeSpan elapsed, int sent, int received)
    {
        var tags = new TagList
        {
            { "rpc.system", "grpc" },
            { "rpc.service", service },
            { "rpc.method", method },
            { "rpc.grpc.status_code", (int)status },
            { "rpc.grpc.call_type", callType },
        };
        if (emitStableStatusCode)
        {
            tags.Add("rpc.response.status_code", StatusCodeNames.Canonical(status));
        }

        duration.Record(elapsed.TotalMilliseconds, tags);
        requestsPerRpc.Record(sent, tags);
        responsesPerRpc.Record(received, tags);
    }
}
