using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;

namespace OrdersAspire.Shared;

/// <summary>
/// The three RPC histograms of one side ("server" or "client"), each with bucket boundaries fitting its unit, given as
/// instrument advice so any OpenTelemetry SDK uses them instead of its millisecond-shaped defaults.
/// </summary>
internal sealed class RpcCallHistograms
{
    /// <summary>Boundaries per decade: each is 10^(1/26) ≈ 1.093 times the one before it (at most 1.1 once rounded).</summary>
    public const int BucketsPerDecade = 26;

    /// <summary>
    /// 0.1 ms to 10 s, <see cref="BucketsPerDecade"/> a decade, rounded to three significant digits. The Aspire
    /// dashboard shows a percentile as the upper bound of the bucket holding it, so bounds at most 1.1 times the one
    /// below them keep the P50/P90/P99 it shows within 10 % of the true value for every call in that range.
    /// </summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [.. Enumerable.Range(-4 * BucketsPerDecade, 5 * BucketsPerDecade + 1).Select(step => RoundToThreeDigits(Math.Pow(10, (double)step / BucketsPerDecade)))];

    /// <summary>Powers of two up to 1024 (Orders:Validation:MaxOrdersPerUpdate is 1000).</summary>
    public static readonly IReadOnlyList<long> MessageCountBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Histogram<double> callDuration;
    private readonly Histogram<long> requestsPerRpc;
    private readonly Histogram<long> responsesPerRpc;

    /// <param name="side">"server" or "client", as in the metric names <c>rpc.{side}.call.duration</c>.</param>
    /// <param name="configuration">Where <see cref="RpcSemanticConventions.StabilityOptIn"/> is read; none: the older RPC names only.</param>
    public RpcCallHistograms(Meter meter, string side, IConfiguration? configuration)
    {
        NewerNames = RpcSemanticConventions.WritesNewerNames(configuration?[RpcSemanticConventions.StabilityOptIn]);
        var rpcs = side == "server" ? "RPCs this server answered" : "RPCs this client made";
        callDuration = meter.CreateHistogram(
            CallDurationName(side), "s", $"Duration of {rpcs}, from the call's start until its last message or status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        requestsPerRpc = meter.CreateHistogram(
            RequestsPerRpcName(side), "{count}", $"Request messages per streaming RPC, of {rpcs}.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = MessageCountBuckets });
        responsesPerRpc = meter.CreateHistogram(
            ResponsesPerRpcName(side), "{count}", $"Response messages per streaming RPC, of {rpcs}.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = MessageCountBuckets });
    }

    /// <summary>Whether the recordings carry the newer RPC names beside the older ones.</summary>
    public bool NewerNames { get; }

    /// <summary>The semconv's RPC duration (seconds).</summary>
    public static string CallDurationName(string side) => $"rpc.{side}.call.duration";

    public static string RequestsPerRpcName(string side) => $"rpc.{side}.requests_per_rpc";

    public static string ResponsesPerRpcName(string side) => $"rpc.{side}.responses_per_rpc";

    /// <summary>
    /// Records one finished call, tagged with its identity, outcome and call type; its message counts only when it
    /// streams. A unary call's counts say no more than its status (one each way, no response when it failed), and
    /// OpenTelemetry asks for these histograms for streaming calls only: two recordings fewer on every unary call.
    /// </summary>
    public void Record(string wireMethod, int statusCode, string callType, TimeSpan elapsed, long requests, long responses)
    {
        // Up to eight tags stay inside the TagList struct: recording allocates nothing.
        var tags = new TagList(RpcSemanticConventions.CallIdentity(wireMethod, NewerNames));
        foreach (var tag in RpcSemanticConventions.CallOutcome(statusCode, NewerNames))
        {
            tags.Add(tag);
        }

        tags.Add(RpcSemanticConventions.CallType, callType);
        callDuration.Record(elapsed.TotalSeconds, tags);
        if (callType != RpcCallTypes.Unary)
        {
            requestsPerRpc.Record(requests, tags);
            responsesPerRpc.Record(responses, tags);
        }
    }

    private static double RoundToThreeDigits(double value)
    {
        var scale = Math.Pow(10, 2 - Math.Floor(Math.Log10(value)));
        return Math.Round(value * scale) / scale;
    }
}
