using System.Net.Http.Headers;
using Google.Protobuf;
using Microsoft.Playwright;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using static Microsoft.Playwright.Assertions;
using static Orders.Tests.GrpcInsights.OtlpWire;
using static Orders.Tests.Infrastructure.RawGrpcFrames;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>The store's limits over real OTLP: what is kept stays within them, and the UI (in Chromium) and /api/status say what was left out.</summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class StoreLimitsTests
{
    [Fact]
    [Requires(Need.Chromium)]
    public async Task LimitsKeepTheStoreWithinBoundsAndTheStatusBarSaysWhatWasLeftOut()
    {
        await using var insights = await InsightsHost.StartAsync(
            "Insights:TelemetryLimits:MaxSpansPerTrace=3", "Insights:TelemetryLimits:MaxStoreBytes=60000",
            "Insights:TelemetryLimits:MaxAttributeCount=2", "Insights:TelemetryLimits:MaxAttributeLength=10",
            "Insights:TelemetryLimits:MaxSpanEventCount=1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.OpenAsync(browser, insights.FrontendUrl, "/traces");
        await Expect(page.Locator("#store-fill")).ToContainTextAsync("Traces 0 / 10000");
        await Expect(page.Locator("#store-drops")).ToHaveCountAsync(0);

        // One trace of 5 spans, each with 3 long attributes and 2 events: 2 spans over the per-trace limit, per span
        // 1 attribute over the count and 2 cut to length, 1 event over the count.
        var (busy, busyId) = ValidTraceRequest();
        var first = busy.ResourceSpans[0].ScopeSpans[0].Spans[0];
        foreach (var key in "abc")
        {
            first.Attributes.Add(new KeyValue { Key = key.ToString(), Value = new AnyValue { StringValue = new string('v', 50) } });
        }

        first.Events.Add(new Span.Types.Event { Name = "one" });
        first.Events.Add(new Span.Types.Event { Name = "two" });
        for (var i = 1; i < 5; i++)
        {
            var sibling = first.Clone();
            sibling.SpanId = ByteString.CopyFrom(BitConverter.GetBytes((long)i + 1));
            busy.ResourceSpans[0].ScopeSpans[0].Spans.Add(sibling);
        }

        await PostProtobufAsync(insights, busy);
        var kept = await insights.Http.GetJsonAsync($"/api/traces/{busyId}");
        Assert.Equal(3, kept.Items("spans").Count());
        Assert.All(kept.Items("spans"), span => Assert.Equal([("a", "vvvvvvvvvv…"), ("b", "vvvvvvvvvv…")],
            span.GetProperty("attributes").EnumerateObject().Select(p => (p.Name, p.Value.GetString()))));
        Assert.All(kept.Items("spans"), span => Assert.Equal("one", Assert.Single(span.Items("events")).Str("name")));

        // Then 40 small traces: more than 60,000 estimated bytes, so the oldest go, the busy trace first.
        for (var i = 0; i < 40; i++)
        {
            await PostProtobufAsync(insights, ValidTraceRequest().Request);
        }

        var status = await insights.Http.GetJsonAsync("/api/status");
        var (traces, evicted) = (status.GetProperty("traces").GetInt32(), status.GetProperty("evictedTraces").GetInt64());
        Assert.Equal(60_000, status.GetProperty("maxStoreBytes").GetInt64());
        Assert.InRange(status.GetProperty("storeBytes").GetInt64(), 1, 60_000);
        Assert.Equal(insights.Store.Traces.Bytes, status.GetProperty("storeBytes").GetInt64());
        Assert.InRange(evicted, 1, 40);
        Assert.Equal(41, traces + evicted);
        Assert.Equal((2L, 15L, 5L), (status.GetProperty("droppedSpans").GetInt64(), status.GetProperty("truncatedAttributes").GetInt64(),
            status.GetProperty("droppedEvents").GetInt64()));
        using (var gone = await insights.Http.GetAsync(new Uri($"/api/traces/{busyId}", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        }

        // The open page's status bar says the same, live.
        await Expect(page.Locator("#store-drops")).ToHaveTextAsync(
            $"Limits reached: evicted {evicted} traces, dropped 2 spans, truncated 15 attributes, dropped 5 events");
        await Expect(page.Locator("#store-fill")).ToContainTextAsync($"Traces {traces} / 10000");
        await Chromium.ScreenshotAsync(page, "store-limits.png");
    }

    [Fact]
    public async Task HugeMetricsExportsAreAcceptedAndStoreNothing()
    {
        await using var insights = await InsightsHost.StartAsync();
        // 3.5 million buckets: 3.5 MB on the wire, under the default 4 MiB limit.
        var buckets = new ExponentialHistogramDataPoint.Types.Buckets();
        buckets.BucketCounts.AddRange(Enumerable.Repeat(1UL, 3_500_000));
        var export = new ExportMetricsServiceRequest
        {
            ResourceMetrics = { new ResourceMetrics { ScopeMetrics = { new ScopeMetrics { Metrics = { new Metric
            {
                Name = "huge",
                ExponentialHistogram = new ExponentialHistogram { DataPoints = { new ExponentialHistogramDataPoint { Count = 3_500_000, Positive = buckets } } },
            } } } } } },
        }.ToByteArray();

        var overGrpc = await SendGrpcAsync(insights.OtlpGrpcUrl, MetricsExportPath, Frame(export), []);
        using var content = new ByteArrayContent(export);
        content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        var overHttp = await PostAsync(insights.OtlpHttpUrl, "/v1/metrics", content, []);

        Assert.Equal((Grpc.Core.StatusCode.OK, Grpc.Core.StatusCode.OK), (overGrpc.Code, overHttp.Code));
        var status = await insights.Http.GetJsonAsync("/api/status");
        Assert.Equal((0, 0L), (status.GetProperty("traces").GetInt32(), status.GetProperty("storeBytes").GetInt64()));
    }

    private static async Task PostProtobufAsync(InsightsHost insights, OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest request)
    {
        using var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        Assert.Equal(Grpc.Core.StatusCode.OK, (await PostAsync(insights.OtlpHttpUrl, "/v1/traces", content, [])).Code);
    }
}
