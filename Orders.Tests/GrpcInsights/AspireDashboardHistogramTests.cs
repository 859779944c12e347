using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Metrics.V1;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// Why the RPC durations are explicit-bucket histograms (docs/telemetry.md, Metrics): the Aspire dashboard the AppHost
/// runs takes those and rejects exponential ones, which it cannot chart.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
[Requires(Need.Process)]
public sealed class AspireDashboardHistogramTests
{
    [Fact]
    public async Task TheAspireDashboard_AcceptsExplicitBucketHistograms_AndRejectsExponentialOnes()
    {
        await using var aspire = await AspireDashboardProcess.StartAsync();

        Assert.Equal(0, await RejectedPointsAsync(aspire, new Metric
        {
            Name = "rpc.server.call.duration",
            Unit = "s",
            Histogram = new Histogram
            {
                AggregationTemporality = AggregationTemporality.Cumulative,
                DataPoints = { new HistogramDataPoint { Count = 1, Sum = 0.003, ExplicitBounds = { 0.00289, 0.00316 }, BucketCounts = { 0, 1, 0 } } },
            },
        }));
        Assert.Equal(1, await RejectedPointsAsync(aspire, new Metric
        {
            Name = "rpc.server.call.duration.exponential",
            Unit = "s",
            ExponentialHistogram = new ExponentialHistogram
            {
                AggregationTemporality = AggregationTemporality.Cumulative,
                DataPoints = { new ExponentialHistogramDataPoint { Count = 1, Sum = 0.003, Scale = 3, Positive = new() { Offset = -68, BucketCounts = { 1 } } } },
            },
        }));
    }

    /// <summary>Exports one metric to the dashboard over OTLP/gRPC and returns how many of its points it rejected.</summary>
    private static async Task<long> RejectedPointsAsync(AspireDashboardProcess aspire, Metric metric)
    {
        var request = new ExportMetricsServiceRequest
        {
            ResourceMetrics =
            {
                new ResourceMetrics
                {
                    Resource = new() { Attributes = { new OpenTelemetry.Proto.Common.V1.KeyValue { Key = "service.name", Value = new() { StringValue = "orders-api" } } } },
                    ScopeMetrics = { new ScopeMetrics { Scope = new() { Name = "Orders.Api" }, Metrics = { metric } } },
                },
            },
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var reply = await RawGrpcCall.SendAsync(http, new Uri(aspire.OtlpGrpcUrl, OtlpWire.MetricsExportPath), RawGrpcFrames.Frame(request.ToByteArray()), []);
        Assert.Equal(Grpc.Core.StatusCode.OK, reply.Status);
        return ExportMetricsServiceResponse.Parser.ParseFrom(reply.Body.AsSpan(5)).PartialSuccess?.RejectedDataPoints ?? 0;
    }
}
