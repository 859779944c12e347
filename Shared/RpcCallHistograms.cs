using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrdersAspire.Shared;

/// <summary>
/// The four RPC histograms of one side ("server" or "client"), each with bucket boundaries fitting its unit, given as
/// instrument advice so any OpenTelemetry SDK uses them instead of its millisecond-shaped defaults.
/// </summary>
internal sealed class RpcCallHistograms
{
    /// <summary>0.5 ms to 10 s: the semconv advice for HTTP durations, extended down for calls on loopback.</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    public static readonly IReadOnlyList<double> MillisecondsBuckets = [.. SecondsBuckets.Select(seconds => seconds * 1000)];

    /// <summary>Powers of two up to 1024 (Orders:Validation:MaxOrdersPerUpdate is 1000).</summary>
    public static readonly IReadOnlyList<long> MessageCountBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Histogram<double> callDuration;
    private readonly Histogram<double> duration;
    private readonly Histogram<long> requestsPerRpc;
    private readonly Histogram<long> responsesPerRpc;

    /// <param name="side">"server" or "client", as in the metric names <c>rpc.{side}.call.duration</c>.</param>
    public RpcCallHistograms(Meter meter, string side)
    {
        var direction = side == "server" ? "inbound" : "outbound";
        callDuration = meter.CreateHistogram(
            CallDurationName(side), "s", $"Duration of {direction} RPCs, until the last message or status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        duration = meter.CreateHistogram(
            DurationName(side), "ms", $"Duration of {direction} RPCs, until the last message or status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondsBuckets });
        requestsPerRpc = meter.CreateHistogram(
            RequestsPerRpcName(side), "{count}", "Request messages per RPC.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = MessageCountBuckets });
        responsesPerRpc = meter.CreateHistogram(
            ResponsesPerRpcName(side), "{count}", "Response messages per RPC.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = MessageCountBuckets });
    }

    /// <summary>The newer semconv's duration (seconds).</summary>
    public static string CallDurationName(string side) => $"rpc.{side}.call.duration";

    /// <summary>The experimental semconv's duration (milliseconds), for older readers.</summary>
    public static string DurationName(string side) => $"rpc.{side}.duration";

    public static string RequestsPerRpcName(string side) => $"rpc.{side}.requests_per_rpc";

    public static string ResponsesPerRpcName(string side) => $"rpc.{side}.responses_per_rpc";

    /// <summary>Records one finished call, tagged with its identity, outcome and call type.</summary>
    public void Record(string wireMethod, int statusCode, string callType, TimeSpan elapsed, long requests, long responses)
    {
        // Up to eight tags stay inside the TagList struct: recording allocates nothing.
        var tags = new TagList(RpcSemanticConventions.CallIdentity(wireMethod));
        foreach (var tag in RpcSemanticConventions.CallOutcome(statusCode))
        {
            tags.Add(tag);
        }

        tags.Add(RpcSemanticConventions.CallType, callType);
        callDuration.Record(elapsed.TotalSeconds, tags);
        duration.Record(elapsed.TotalMilliseconds, tags);
        requestsPerRpc.Record(requests, tags);
        responsesPerRpc.Record(responses, tags);
    }
}
