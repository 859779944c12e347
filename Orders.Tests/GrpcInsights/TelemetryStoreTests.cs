extern alias GrpcInsights;

using GrpcInsights::OrdersAspire.GrpcInsights.Configuration;
using GrpcInsights::OrdersAspire.GrpcInsights.Store;

namespace Orders.Tests.GrpcInsights;

public sealed class TelemetryStoreTests
{
    private static readonly DateTime s_t0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly ResourceIdentity s_client = new("orders-client", "client-1");
    private static readonly ResourceIdentity s_api = new("orders-api", "api-1");

    [Fact]
    public void SpansArrivingOutOfOrderAssembleIntoOneTreeWithTheClientAboveItsServer()
    {
        var traces = new TraceStore(100);
        var client = Rpc("t1", "c1", null, SpanKind.Client, s_client, "DEADLINE_EXCEEDED", 0, 120);
        var http = Span("t1", "h1", "c1", SpanKind.Server, s_api, 2, 110) with { Name = "POST /ecommerce.OrderManagement/addOrder" };
        var server = Rpc("t1", "s1", "h1", SpanKind.Server, s_api, "DEADLINE_EXCEEDED", 3, 105, ("rpc.grpc.deadline_ms", "100"), ("rpc.grpc.handler_cancelled", "true"));

        // The server side usually ends (and exports) first; its parent arrives later.
        traces.Add([server]);
        traces.Add([http]);
        traces.Add([client]);

        var trace = traces.Get("t1")!;
        Assert.Equal(["c1", "h1", "s1"], trace.Spans.Select(n => n.Span.SpanId));
        Assert.Equal([0, 1, 2], trace.Spans.Select(n => n.Depth));
        Assert.Equal(["orders-client", "orders-api"], trace.Summary.Services);
        Assert.Equal("DEADLINE_EXCEEDED", trace.Summary.GrpcStatus);
        Assert.True(trace.Summary.HasError);
        Assert.Equal(TimeSpan.FromMilliseconds(120), trace.Summary.Duration);

        var call = Assert.Single(trace.Calls);
        Assert.Equal("c1", call.Client!.SpanId);
        Assert.Equal("s1", call.Server!.SpanId);
        Assert.Equal(100, call.DeadlineMs);
        Assert.True(call.HandlerCancelled);
        Assert.True(call.BudgetUsed > 1);
    }

    [Fact]
    public void ResentSpansAreNotDuplicated()
    {
        var traces = new TraceStore(100);
        var span = Rpc("t1", "s1", null, SpanKind.Server, s_api, "OK", 0, 5);
        Assert.Equal(1, traces.Add([span]));
        Assert.Equal(0, traces.Add([span]));
        Assert.Equal(1, traces.Get("t1")!.Summary.SpanCount);
    }

    [Fact]
    public void ATraceKeepsAtMostItsSpanLimit()
    {
        var traces = new TraceStore(100, maxSpansPerTrace: 3);
        var added = traces.Add([.. Enumerable.Range(0, 5).Select(i => Span("t1", $"s{i}", null, SpanKind.Internal, s_api, i, 1))]);

        Assert.Equal(3, added);
        Assert.Equal(0, traces.Add([Span("t1", "s9", null, SpanKind.Internal, s_api, 9, 1)]));
        Assert.Equal(["s0", "s1", "s2"], traces.Get("t1")!.Spans.Select(n => n.Span.SpanId));
        Assert.Equal(1, traces.Add([Span("t2", "s0", null, SpanKind.Internal, s_api, 0, 1)]));
    }

    [Fact]
    public void TheServiceDirectoryForgetsTheInstanceHeardFromLongestAgoWhenFull()
    {
        var services = new ServiceDirectory(TimeProvider.System, maxInstanceCount: 2);
        services.Seen(new ResourceIdentity("orders-api", "a"), TelemetrySignal.Span, 1);
        services.Seen(new ResourceIdentity("orders-api", "b"), TelemetrySignal.Span, 1);
        services.Seen(new ResourceIdentity("orders-api", "a"), TelemetrySignal.Log, 1);
        services.Seen(new ResourceIdentity("orders-api", "c"), TelemetrySignal.Span, 1);

        Assert.Equal(["a", "c"], Assert.Single(services.Services()).Instances.Select(i => i.InstanceId));
    }

    [Fact]
    public void OldestTracesAreEvictedAndCountedAndLeaveTheIndexes()
    {
        var traces = new TraceStore(3);
        for (var i = 0; i < 5; i++)
        {
            traces.Add([Rpc($"t{i}", "s", null, SpanKind.Server, s_api, i == 0 ? "NOT_FOUND" : "OK", i, 1)]);
        }

        Assert.Equal(3, traces.Count);
        Assert.Equal(2, traces.EvictedCount);
        Assert.Null(traces.Get("t0"));
        Assert.Empty(traces.Query(new TraceQuery(Status: "NOT_FOUND")).Traces);
        Assert.DoesNotContain("NOT_FOUND", traces.Statuses());
        Assert.Equal(["t4", "t3", "t2"], traces.Query(new TraceQuery()).Traces.Select(t => t.TraceId));
    }

    [Fact]
    public void FiltersNarrowByStatusServiceMethodAndText()
    {
        var traces = new TraceStore(100);
        traces.Add([Rpc("a", "1", null, SpanKind.Server, s_api, "OK", 0, 1)]);
        traces.Add([Rpc("b", "1", null, SpanKind.Server, s_api, "NOT_FOUND", 1, 1, ("order.id", "999"))]);
        traces.Add([Rpc("c", "1", null, SpanKind.Client, s_client, "CANCELLED", 2, 1) with { Attributes = RpcTags("processOrders", "1") }]);

        Assert.Equal(["b"], Ids(traces.Query(new TraceQuery(Status: "NOT_FOUND"))));
        Assert.Equal(["c"], Ids(traces.Query(new TraceQuery(Service: "orders-client"))));
        Assert.Equal(["c"], Ids(traces.Query(new TraceQuery(Method: "processorders"))));
        Assert.Equal(["b"], Ids(traces.Query(new TraceQuery(Text: "999"))));
        Assert.Empty(Ids(traces.Query(new TraceQuery(Service: "orders-client", Status: "OK"))));

        var limited = traces.Query(new TraceQuery(Limit: 2));
        Assert.Equal(["c", "b"], Ids(limited));
        Assert.Equal(3, limited.MatchCount);
    }

    [Fact]
    public void CancelledStreamRecordsWhereItStopped()
    {
        var traces = new TraceStore(10);
        var server = Rpc("t", "s", null, SpanKind.Server, s_api, "CANCELLED", 0, 40, ("rpc.grpc.call_type", "duplex_streaming")) with
        {
            Events = [new SpanEvent("rpc.cancelled", s_t0.AddMilliseconds(30), [new("rpc.grpc.messages_received", "3"), new("rpc.grpc.messages_sent", "1")])],
        };
        traces.Add([server]);

        var call = Assert.Single(traces.Calls(10));
        Assert.Equal("duplex_streaming", call.CallType);
        Assert.Equal(TimeSpan.FromMilliseconds(30), call.CancelledAt!.After);
        Assert.Equal(3, call.CancelledAt.MessagesReceived);
        Assert.Equal(1, call.CancelledAt.MessagesSent);
    }

    [Fact]
    public void StringStatusOfTheNewerSemconvIsRead()
    {
        var span = Span("t", "s", null, SpanKind.Server, s_api, 0, 1) with
        {
            Attributes = [new("rpc.system.name", "grpc"), new("rpc.method", "ecommerce.OrderManagement/getOrder"), new("rpc.response.status_code", "NOT_FOUND")],
        };
        Assert.True(span.IsGrpc);
        Assert.Equal("NOT_FOUND", span.GrpcStatus);
        Assert.Equal("ecommerce.OrderManagement/getOrder", span.RpcMethod);

        // A server emitting both sets (rpc.service plus a full rpc.method) still reads as one method name.
        var both = span with { Attributes = [.. span.Attributes, new("rpc.service", "ecommerce.OrderManagement")] };
        Assert.Equal("ecommerce.OrderManagement/getOrder", both.RpcMethod);
    }

    [Fact]
    public void LogsAreBoundedAndIndexedByTraceId()
    {
        var logs = new LogStore(3);
        logs.Add([Log("first", "t1", 9), Log("second", "t1", 13), Log("third", "t2", 17), Log("fourth", "t1", 9)]);

        Assert.Equal(3, logs.Count);
        Assert.Equal(1, logs.EvictedCount);
        Assert.Equal(["fourth", "second"], logs.Query(new LogQuery(TraceId: "t1")).Logs.Select(l => l.Message));
        Assert.Equal(["third", "second"], logs.Query(new LogQuery(Level: "Warning")).Logs.Select(l => l.Message));
        Assert.Equal(["third"], logs.Query(new LogQuery(Level: "Error")).Logs.Select(l => l.Message));
        Assert.Equal("Warning", logs.Query(new LogQuery(Text: "second")).Logs.Single().Level);
    }

    [Fact]
    public void HistogramPercentilesInterpolateInsideBuckets()
    {
        // 100 values: 50 in (0,10], 40 in (10,20], 10 in (20,50] — but none above the recorded max of 45.
        var histogram = new HistogramValue(100, 1200, [10, 20, 50], [50, 40, 10, 0], Min: 1, Max: 45);
        Assert.Equal(10, histogram.Percentile(0.50)!.Value, 3);
        Assert.Equal(32.5, histogram.Percentile(0.95)!.Value, 3);
        Assert.Equal(42.5, histogram.Percentile(0.99)!.Value, 3);
        Assert.Null(new HistogramValue(0, 0, [10], [0, 0]).Percentile(0.5));
    }

    [Fact]
    public void RpcDurationRowsMergeInstancesAndFoldDeltas()
    {
        var metrics = new MetricStore(100);
        metrics.Add([
            Histogram(s_api, "OK", isDelta: true, [3, 1, 0]),
            Histogram(s_api, "OK", isDelta: true, [1, 0, 0]),
            Histogram(new ResourceIdentity("orders-api", "api-2"), "OK", isDelta: false, [0, 4, 0]),
            Histogram(s_api, "NOT_FOUND", isDelta: false, [2, 0, 0]),
        ]);

        var rows = metrics.RpcDurations();
        var ok = rows.Single(r => r.Status == "OK");
        Assert.Equal(("server", "ecommerce.OrderManagement/getOrder", 9L), (ok.Side, ok.Method, ok.Count));
        Assert.InRange(ok.P99!.Value, 10, 20);
        Assert.Equal(2, rows.Single(r => r.Status == "NOT_FOUND").Count);
    }

    [Fact]
    public void SecondsHistogramOfTheNewerSemconvIsNotShownTwice()
    {
        var metrics = new MetricStore(100);
        var ms = Histogram(s_api, "OK", false, [1, 0, 0]);
        metrics.Add([ms, ms with { Name = "rpc.server.call.duration", Unit = "s" }]);
        Assert.Single(metrics.RpcDurations());

        var secondsOnly = new MetricStore(100);
        secondsOnly.Add([ms with { Name = "rpc.server.call.duration", Unit = "s" }]);
        // Seconds are shown in milliseconds: 0.99 of the (0, 10] bucket is 9.9 s.
        Assert.Equal(9_900, Assert.Single(secondsOnly.RpcDurations()).P99!.Value, 0);
    }

    [Fact]
    public void MetricPointsAreBoundedOldestFirst()
    {
        var metrics = new MetricStore(2);
        metrics.Add([Histogram(s_api, "OK", false, [1, 0, 0]), Histogram(s_api, "NOT_FOUND", false, [1, 0, 0]), Histogram(s_api, "OK", false, [2, 0, 0])]);

        Assert.Equal(2, metrics.PointCount);
        Assert.Equal(1, metrics.EvictedCount);
        var series = metrics.Instruments().Single().Series;
        Assert.Equal(2, series.Count);
        Assert.Equal(2, series.Single(s => s.Attributes.Any(a => a.Value == "0")).Latest.Histogram!.Count);
    }

    [Fact]
    public async Task ConcurrentExportsLoseNothing()
    {
        var store = new TelemetryStore(new TelemetryLimitOptions { MaxTraceCount = 100_000, MaxLogCount = 100_000 });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                var traceId = $"w{worker}-{i}";
                store.AddSpans([Rpc(traceId, "c", null, SpanKind.Client, s_client, "OK", 0, 2), Rpc(traceId, "s", "c", SpanKind.Server, s_api, "OK", 1, 1)]);
                store.AddLogs([Log("x", traceId, 9)]);
                _ = store.Traces.Query(new TraceQuery(Status: "OK", Limit: 10));
            }
        })));

        Assert.Equal(4_000, store.Traces.Count);
        Assert.Equal(4_000, store.Logs.Count);
        Assert.All(store.Traces.Query(new TraceQuery(Limit: 4_000)).Traces, t => Assert.Equal(2, t.SpanCount));
        Assert.Equal(4_000 * 2, store.Services.Services().Sum(s => s.Instances.Sum(i => i.Spans)));
    }

    private static string[] Ids(TraceQueryResult result) => [.. result.Traces.Select(t => t.TraceId)];

    private static SpanData Span(string traceId, string spanId, string? parent, SpanKind kind, ResourceIdentity resource, int startMs, int durationMs) => new()
    {
        TraceId = traceId,
        SpanId = spanId,
        ParentSpanId = parent,
        Name = "span " + spanId,
        Kind = kind,
        Resource = resource,
        Start = s_t0.AddMilliseconds(startMs),
        End = s_t0.AddMilliseconds(startMs + durationMs),
    };

    private static SpanData Rpc(string traceId, string spanId, string? parent, SpanKind kind, ResourceIdentity resource, string status,
        int startMs, int durationMs, params (string Key, string Value)[] extra) =>
        Span(traceId, spanId, parent, kind, resource, startMs, durationMs) with
        {
            Name = "ecommerce.OrderManagement/addOrder",
            Attributes = [.. RpcTags("addOrder", GrpcStatusCodes.Names.ToList().IndexOf(status).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. extra.Select(e => new AttributeEntry(e.Key, e.Value))],
            Status = status is "DEADLINE_EXCEEDED" ? SpanStatusCode.Error : SpanStatusCode.Unset,
        };

    private static AttributeEntry[] RpcTags(string method, string code) =>
        [new("rpc.system", "grpc"), new("rpc.service", "ecommerce.OrderManagement"), new("rpc.method", method), new("rpc.grpc.status_code", code)];

    private static LogEntry Log(string message, string traceId, int severity) =>
        new() { Message = message, TraceId = traceId, SeverityNumber = severity, Resource = s_api, Time = s_t0 };

    private static MetricSample Histogram(ResourceIdentity resource, string status, bool isDelta, long[] buckets) => new(
        resource, "Orders.Api", "rpc.server.duration", "ms", "", MetricKind.Histogram, isDelta,
        [new("rpc.method", "getOrder"), new("rpc.service", "ecommerce.OrderManagement"),
            new("rpc.grpc.status_code", GrpcStatusCodes.Names.ToList().IndexOf(status).ToString(System.Globalization.CultureInfo.InvariantCulture))],
        new MetricPoint(s_t0, null, new HistogramValue(buckets.Sum(), 0, [10, 20], buckets)));
}
