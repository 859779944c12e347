namespace OrdersAspire.GrpcInsights.Store;

public enum MetricKind
{
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
}

/// <summary>An explicit-bucket histogram: BucketCounts has one entry more than Bounds (the overflow bucket).</summary>
public sealed record HistogramValue(long Count, double Sum, IReadOnlyList<double> Bounds, IReadOnlyList<long> BucketCounts, double? Min = null, double? Max = null)
{
    /// <summary>Estimates a quantile by linear interpolation inside the bucket that holds it (what Prometheus does).</summary>
    public double? Percentile(double quantile)
    {
        if (Count <= 0 || BucketCounts.Count == 0 || BucketCounts.Count != Bounds.Count + 1)
        {
            return null;
        }

        var rank = quantile * Count;
        long cumulative = 0;
        for (var i = 0; i < BucketCounts.Count; i++)
        {
            var inBucket = BucketCounts[i];
            if (inBucket == 0 || cumulative + inBucket < rank)
            {
                cumulative += inBucket;
                continue;
            }

            var lower = i == 0 ? Math.Min(Min ?? 0, Bounds.Count > 0 ? Bounds[0] : 0) : Bounds[i - 1];
            var upper = i < Bounds.Count ? Bounds[i] : Max ?? Bounds[^1];
            lower = Math.Max(lower, Min ?? lower);
            upper = Math.Max(lower, Math.Min(upper, Max ?? upper));
            return lower + ((upper - lower) * (rank - cumulative) / inBucket);
        }

        return Max ?? (Bounds.Count > 0 ? Bounds[^1] : 0);
    }

    /// <summary>Adds a delta point to a running total (only when both share bucket bounds).</summary>
    public HistogramValue Plus(HistogramValue delta) =>
        Bounds.SequenceEqual(delta.Bounds)
            ? new HistogramValue(
                Count + delta.Count,
                Sum + delta.Sum,
                Bounds,
                [.. BucketCounts.Zip(delta.BucketCounts, (a, b) => a + b)],
                Min is null || delta.Min is null ? Min ?? delta.Min : Math.Min(Min.Value, delta.Min.Value),
                Max is null || delta.Max is null ? Max ?? delta.Max : Math.Max(Max.Value, delta.Max.Value))
            : delta;
}

/// <summary>One data point: a number (gauge, sum) or a histogram.</summary>
public sealed record MetricPoint(DateTime Time, double? Value, HistogramValue? Histogram);

/// <summary>One incoming data point with everything needed to file it under its instrument and series.</summary>
public sealed record MetricSample(
    ResourceIdentity Resource,
    string Scope,
    string Name,
    string Unit,
    string Description,
    MetricKind Kind,
    bool IsDelta,
    IReadOnlyList<AttributeEntry> Attributes,
    MetricPoint Point);

/// <summary>A time series of one instrument: one attribute set of one instance.</summary>
public sealed record MetricSeriesView(string InstanceId, IReadOnlyList<AttributeEntry> Attributes, MetricPoint Latest, IReadOnlyList<MetricPoint> History);

public sealed record InstrumentView(
    string Service,
    string Scope,
    string Name,
    string Unit,
    string Description,
    MetricKind Kind,
    IReadOnlyList<MetricSeriesView> Series);

/// <summary>Per method and status: call count and latency percentiles (milliseconds) of an RPC duration histogram.</summary>
public sealed record RpcDurationRow(string Side, string Service, string Method, string Status, long Count, double? P50, double? P95, double? P99);
