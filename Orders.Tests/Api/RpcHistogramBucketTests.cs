using System.Diagnostics.Metrics;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Orders.Tests.Client;
using OrdersAspire.Shared;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Api;

/// <summary>Every RPC histogram is exported with buckets fitting its unit, so percentiles of fast calls come out in milliseconds.</summary>
public sealed class RpcHistogramBucketTests : InProcessApiTest
{
    private static readonly double[] Seconds = [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly double[] Milliseconds = [0.5, 1, 2.5, 5, 7.5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
    private static readonly double[] Messages = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    [Fact]
    public async Task ServerHistograms_AreExportedWithTheirUnitsBuckets()
    {
        await Client.getOrderAsync(new StringValue { Value = "101" });

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
            await client.GetRequiredService<OrderManagementClient>().getOrderAsync(new StringValue { Value = "101" });
            meters.ForceFlush();
        }

        AssertBuckets(exported, "client");
    }

    [Fact]
    public void A3msOneMessageCall_LandsInTheLowBuckets()
    {
        var exported = new List<MetricSnapshot>();
        using var meter = new Meter($"Orders.Tests.Buckets.{Guid.NewGuid():N}");
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(meter.Name).AddInMemoryExporter(exported).Build();
        var histograms = new RpcCallHistograms(meter, "server");

        histograms.Record("/ecommerce.OrderManagement/getOrder", 0, RpcCallTypes.Unary, TimeSpan.FromMilliseconds(3), 1, 1);
        meters.ForceFlush();

        Assert.Equal((0.0025, 0.005), BucketHolding(exported, "rpc.server.call.duration"));
        Assert.Equal((2.5, 5), BucketHolding(exported, "rpc.server.duration"));
        Assert.Equal((double.NegativeInfinity, 1), BucketHolding(exported, "rpc.server.requests_per_rpc"));
        Assert.Equal((double.NegativeInfinity, 1), BucketHolding(exported, "rpc.server.responses_per_rpc"));
    }

    private static void AssertBuckets(List<MetricSnapshot> exported, string side)
    {
        Assert.Equal(Seconds, Bounds(exported, $"rpc.{side}.call.duration"));
        Assert.Equal(Milliseconds, Bounds(exported, $"rpc.{side}.duration"));
        Assert.Equal(Messages, Bounds(exported, $"rpc.{side}.requests_per_rpc"));
        Assert.Equal(Messages, Bounds(exported, $"rpc.{side}.responses_per_rpc"));
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
