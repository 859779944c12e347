using OpenTelemetry.Proto.Metrics.V1;
using OrdersAspire.GrpcInsights.Store;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>Flattens an OTLP metric into one sample per data point, whatever its kind.</summary>
public sealed class OtlpMetricConverter(OtlpConverter converter)
{
    public IEnumerable<MetricSample> Samples(ResourceIdentity resource, string scope, Metric metric)
    {
        MetricSample Sample(MetricKind kind, bool isDelta, Google.Protobuf.Collections.RepeatedField<OpenTelemetry.Proto.Common.V1.KeyValue> attributes, MetricPoint point) =>
            new(resource, scope, metric.Name, metric.Unit, metric.Description, kind, isDelta, converter.Attributes(attributes), point);

        return metric.DataCase switch
        {
            Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(p => Sample(MetricKind.Gauge, false, p.Attributes, Number(p))),
            Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(p =>
                Sample(MetricKind.Sum, metric.Sum.AggregationTemporality == AggregationTemporality.Delta, p.Attributes, Number(p))),
            Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(p =>
                Sample(MetricKind.Histogram, metric.Histogram.AggregationTemporality == AggregationTemporality.Delta, p.Attributes, Explicit(p))),
            Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Select(p =>
                Sample(MetricKind.ExponentialHistogram, metric.ExponentialHistogram.AggregationTemporality == AggregationTemporality.Delta, p.Attributes, Exponential(p))),
            Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Select(p =>
                Sample(MetricKind.Summary, false, p.Attributes, new MetricPoint(OtlpConverter.Time(p.TimeUnixNano), p.Sum, null))),
            _ => [],
        };
    }

    private static MetricPoint Number(NumberDataPoint point) => new(
        OtlpConverter.Time(point.TimeUnixNano),
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble,
        null);

    private static MetricPoint Explicit(HistogramDataPoint point) => new(
        OtlpConverter.Time(point.TimeUnixNano),
        null,
        new HistogramValue(
            (long)point.Count,
            point.HasSum ? point.Sum : 0,
            [.. point.ExplicitBounds],
            [.. point.BucketCounts.Select(c => (long)c)],
            point.HasMin ? point.Min : null,
            point.HasMax ? point.Max : null));

    /// <summary>
    /// Re-expresses base-2 exponential buckets as explicit bounds (bucket k holds (base^k, base^(k+1)]), so one
    /// percentile routine serves both kinds. Zero and negative values land in the first bucket.
    /// </summary>
    private static MetricPoint Exponential(ExponentialHistogramDataPoint point)
    {
        var scale = Math.Clamp(point.Scale, -10, 20);
        var bucketBase = Math.Pow(2, Math.Pow(2, -scale));
        var offset = point.Positive?.Offset ?? 0;
        var counts = point.Positive?.BucketCounts ?? [];
        double[] bounds = [.. Enumerable.Range(0, counts.Count + 1).Select(i => Math.Pow(bucketBase, offset + i))];
        long negatives = (long)(point.Negative?.BucketCounts.Aggregate(0UL, (sum, c) => sum + c) ?? 0);
        long[] buckets = [(long)point.ZeroCount + negatives, .. counts.Select(c => (long)c), 0];
        return new MetricPoint(
            OtlpConverter.Time(point.TimeUnixNano),
            null,
            new HistogramValue((long)point.Count, point.HasSum ? point.Sum : 0, bounds, buckets,
                point.HasMin ? point.Min : null, point.HasMax ? point.Max : null));
    }
}
