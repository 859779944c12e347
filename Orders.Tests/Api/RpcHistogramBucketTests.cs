using System.Diagnostics.Metrics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Orders.Tests.Client;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Api;

/// <summary>
/// Every RPC histogram is exported with buckets fitting its unit, fine enough that the percentiles the Aspire dashboard
/// derives from them are within 10 % of the true ones.
/// </summary>
public sealed class RpcHistogramBucketTests : InProcessApiTest
{
    private static readonly double[] Messages = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    [Fact]
    public async Task ServerHistograms_AreExportedWithTheirUnitsBuckets()
    {
        await Client.getOrderAsync(new StringValue { Value = "101" });
        // Message counts are recorded for streaming calls only.
        using (var search = Client.searchOrders(new StringValue { Value = "" }))
        {
            await search.ResponseStream.ReadAllAsync().CountAsync();
        }

        Factory.FlushMetrics();

        AssertBuckets(Factory.ExportedMetrics, "server");
    }

    [Fact]
    public async Task ClientHistograms_AreExportedWithTheirUnitsBuckets()
    {
        var exported = new List<MetricSnapshot>();
        using (var meters = Sdk.CreateMeterProviderBuilder().AddMeter(RpcSemanticConventions.OrdersClientSource).AddInMemoryExporter(exported).Build())
        using (var client = InProcessOrdersClient.Create(Factory))
        {
            var orders = client.GetRequiredService<OrderManagementClient>();
            await orders.getOrderAsync(new StringValue { Value = "101" });
            using (var search = orders.searchOrders(new StringValue { Value = "" }))
            {
                await search.ResponseStream.ReadAllAsync().CountAsync();
            }

            meters.ForceFlush();
        }

        AssertBuckets(exported, "client");
    }

    [Fact]
    public void DurationBounds_Span100MicrosecondsTo10Seconds_EachAtMost1Point1TimesTheOneBelow()
    {
        var bounds = RpcCallHistograms.SecondsBuckets;

        Assert.Equal((0.0001, 10.0), (bounds[0], bounds[^1]));
        Assert.All(bounds.Zip(bounds.Skip(1)), pair => Assert.InRange(pair.Second / pair.First, 1.0 + 1e-9, 1.1 + 1e-9));
    }

    [Fact]
    public void A3msOneMessageStream_LandsInTheLowBuckets()
    {
        var exported = Record([TimeSpan.FromMilliseconds(3)], RpcCallTypes.ServerStreaming);

        Assert.Equal((0.00289, 0.00316), BucketHolding(exported, "rpc.server.call.duration"));
        Assert.Equal((double.NegativeInfinity, 1), BucketHolding(exported, "rpc.server.requests_per_rpc"));
        Assert.Equal((double.NegativeInfinity, 1), BucketHolding(exported, "rpc.server.responses_per_rpc"));
    }

    /// <summary>
    /// The scenario's shape: most calls take about a millisecond on loopback, some 100-300 ms (slow reads, deadlines).
    /// With a 0.25 → 0.5 s bucket the dashboard showed a flat 0.5 s P99 while the slowest call took 268 ms.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DashboardPercentiles_OfScenarioShapedCalls_AreWithinTenPercentOfTheTrueOnes(int seed)
    {
        var random = new Random(seed);
        var durations = Enumerable.Range(0, 900).Select(_ => Milliseconds(0.4 + (random.NextDouble() * 1.6)))
            .Concat(Enumerable.Range(0, 99).Select(_ => Milliseconds(100 + (random.NextDouble() * 200))))
            .Append(Milliseconds(268))
            .ToList();

        AssertDashboardPercentilesWithinTenPercent(durations);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DashboardPercentiles_OfCallsSpreadFrom100MicrosecondsTo10Seconds_AreWithinTenPercentOfTheTrueOnes(int seed)
    {
        var random = new Random(seed);
        var durations = Enumerable.Range(0, 500).Select(_ => TimeSpan.FromSeconds(Math.Pow(10, -4 + (random.NextDouble() * 5)))).ToList();

        AssertDashboardPercentilesWithinTenPercent(durations);
    }

    private static TimeSpan Milliseconds(double value) => TimeSpan.FromTicks((long)(value * TimeSpan.TicksPerMillisecond));

    private static void AssertDashboardPercentilesWithinTenPercent(List<TimeSpan> durations)
    {
        var exported = Record(durations);
        var point = Assert.Single(exported.Single(m => m.Name == "rpc.server.call.duration").MetricPoints);
        var buckets = Buckets(point);
        var bounds = buckets.Select(b => b.Upper).Where(double.IsFinite).ToArray();
        var counts = buckets.Select(b => (ulong)b.Count).ToArray();
        var sorted = durations.Select(d => d.TotalSeconds).Order().ToArray();

        foreach (var percentile in new[] { 50, 90, 99 })
        {
            // The dashboard's percentile is the value of rank ⌈p·N/100⌉ (nearest rank), rounded up to its bucket's bound.
            var truePercentile = sorted[(int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1];
            var shown = AspireDashboardPercentile.Calculate(percentile, counts, bounds);
            Assert.True(
                Math.Abs(shown - truePercentile) <= 0.10 * truePercentile,
                $"P{percentile}: the dashboard shows {shown} s, the true value is {truePercentile} s.");
        }
    }

    [Fact]
    public void AUnaryCall_RecordsItsDuration_AndNoMessageCounts()
    {
        var exported = Record([TimeSpan.FromMilliseconds(3)], RpcCallTypes.Unary);

        Assert.Equal((0.00289, 0.00316), BucketHolding(exported, "rpc.server.call.duration"));
        Assert.DoesNotContain(exported, m => m.Name is "rpc.server.requests_per_rpc" or "rpc.server.responses_per_rpc");
    }

    /// <summary>Records <paramref name="durations"/> as getOrder calls (one message each way) through the real histograms and an OpenTelemetry SDK.</summary>
    private static List<MetricSnapshot> Record(IEnumerable<TimeSpan> durations, string callType = RpcCallTypes.Unary)
    {
        var exported = new List<MetricSnapshot>();
        using var meter = new Meter($"Orders.Tests.Buckets.{Guid.NewGuid():N}");
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(meter.Name).AddInMemoryExporter(exported).Build();
        var histograms = new RpcCallHistograms(meter, "server", configuration: null);
        foreach (var duration in durations)
        {
            histograms.Record("/ecommerce.OrderManagement/getOrder", 0, callType, duration, 1, 1);
        }

        meters.ForceFlush();
        // Disposing the provider exports once more; the snapshot of this flush is the one to read.
        return [.. exported];
    }

    private static void AssertBuckets(List<MetricSnapshot> exported, string side)
    {
        Assert.Equal(RpcCallHistograms.SecondsBuckets, Bounds(exported, $"rpc.{side}.call.duration"));
        Assert.Equal(Messages, Bounds(exported, $"rpc.{side}.requests_per_rpc"));
        Assert.Equal(Messages, Bounds(exported, $"rpc.{side}.responses_per_rpc"));
        // One duration histogram per side: the milliseconds twin of older semconv is not emitted.
        Assert.DoesNotContain(exported, m => m.Name == $"rpc.{side}.duration");
    }

    /// <summary>The explicit bounds of the first point of a histogram (the +Inf bucket left out).</summary>
    private static double[] Bounds(List<MetricSnapshot> exported, string name)
    {
        var point = exported.First(m => m.Name == name).MetricPoints[0];
        return [.. Buckets(point).Select(b => b.Upper).Where(double.IsFinite)];
    }

    /// <summary>The (lower, upper] bucket that holds the single recorded value of a histogram.</summary>
    private static (double Lower, double Upper) BucketHolding(List<MetricSnapshot> exported, string name)
    {
        var point = Assert.Single(exported.Single(m => m.Name == name).MetricPoints);
        var bucket = Assert.Single(Buckets(point), b => b.Count > 0);
        return (bucket.Lower, bucket.Upper);
    }

    private static List<(double Lower, double Upper, long Count)> Buckets(MetricPoint point)
    {
        var buckets = new List<(double, double, long)>();
        var lower = double.NegativeInfinity;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            buckets.Add((lower, bucket.ExplicitBound, bucket.BucketCount));
            lower = bucket.ExplicitBound;
        }

        return buckets;
    }
}
