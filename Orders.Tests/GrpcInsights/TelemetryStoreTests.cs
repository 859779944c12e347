using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Store;
using static Orders.Tests.GrpcInsights.StoredSpans;

namespace Orders.Tests.GrpcInsights;

public sealed class TelemetryStoreTests
{
    [Fact]
    public void SpansArrivingOutOfOrderAssembleIntoOneTreeWithTheClientAboveItsServer()
    {
        var traces = new TraceStore(100);
        var client = Rpc("t1", "c1", null, SpanKind.Client, ClientResource, "DEADLINE_EXCEEDED", 0, 120);
        var http = Span("t1", "h1", "c1", SpanKind.Server, ApiResource, 2, 110) with { Name = "POST /ecommerce.OrderManagement/addOrder" };
        var server = Rpc("t1", "s1", "h1", SpanKind.Server, ApiResource, "DEADLINE_EXCEEDED", 3, 105, ("rpc.grpc.deadline_ms", "100"), ("rpc.grpc.handler_cancelled", "true"));

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
        var span = Rpc("t1", "s1", null, SpanKind.Server, ApiResource, "OK", 0, 5);
        Assert.Equal(1, traces.Add([span]));
        Assert.Equal(0, traces.Add([span]));
        Assert.Equal(1, traces.Get("t1")!.Summary.SpanCount);
    }

    [Fact]
    public void ATraceKeepsAtMostItsSpanLimit()
    {
        var traces = new TraceStore(100, maxSpansPerTrace: 3);
        var added = traces.Add([.. Enumerable.Range(0, 5).Select(i => Span("t1", $"s{i}", null, SpanKind.Internal, ApiResource, i, 1))]);

        Assert.Equal(3, added);
        Assert.Equal(0, traces.Add([Span("t1", "s9", null, SpanKind.Internal, ApiResource, 9, 1)]));
        Assert.Equal(["s0", "s1", "s2"], traces.Get("t1")!.Spans.Select(n => n.Span.SpanId));
        Assert.Equal(1, traces.Add([Span("t2", "s0", null, SpanKind.Internal, ApiResource, 0, 1)]));
        Assert.Equal(3, traces.Drops.DroppedSpans);
    }

    [Fact]
    public void TheStoreStaysWithinItsByteLimitByEvictingTheOldestTraces()
    {
        const long MaxBytes = 40_000;
        var traces = new TraceStore(1_000, maxBytes: MaxBytes);
        for (var i = 0; i < 50; i++)
        {
            traces.Add([Big($"t{i}", "s", 2_000)]);
            Assert.InRange(traces.Bytes, 0, MaxBytes);
        }

        var kept = traces.Query(new TraceQuery(Limit: 100)).Traces.Select(t => t.TraceId).ToList();
        Assert.InRange(kept.Count, 2, 49);
        // The newest traces are the ones kept, and the accounting matches what is stored.
        Assert.Equal(Enumerable.Range(50 - kept.Count, kept.Count).Reverse().Select(i => $"t{i}"), kept);
        Assert.Equal(50 - kept.Count, traces.Drops.EvictedTraces);
        Assert.Equal(kept.Count * (SpanSize.TraceOverhead + SpanSize.Estimate(Big("t0", "s", 2_000))), traces.Bytes);
        Assert.Equal(0, traces.Drops.DroppedSpans);
    }

    [Fact]
    public void ANewTracesOwnOverheadCountsAgainstTheByteBound()
    {
        // Room for two traces and one more span, not for a third trace's record besides its span.
        var spanSize = SpanSize.Estimate(Big("t0", "s", 100));
        var traces = new TraceStore(1_000, maxBytes: (2 * (SpanSize.TraceOverhead + spanSize)) + spanSize);
        traces.Add([Big("t0", "s", 100)]);
        traces.Add([Big("t1", "s", 100)]);

        Assert.Equal(1, traces.Add([Big("t2", "s", 100)]));

        Assert.Equal(["t2", "t1"], Ids(traces.Query(new TraceQuery())));
        Assert.Equal(1, traces.Drops.EvictedTraces);
        Assert.Equal(2 * (SpanSize.TraceOverhead + spanSize), traces.Bytes);
    }

    [Fact]
    public void ASpanLargerThanTheWholeBudgetIsDroppedWithoutEvictingAnything()
    {
        var traces = new TraceStore(1_000, maxBytes: 20_000);
        traces.Add([Big("small", "s", 10)]);

        Assert.Equal(0, traces.Add([Big("huge", "s", 20_000)]));

        Assert.Null(traces.Get("huge"));
        Assert.NotNull(traces.Get("small"));
        Assert.Equal((1L, 0L), (traces.Drops.DroppedSpans, traces.Drops.EvictedTraces));
    }

    [Fact]
    public void ATraceThatFillsTheBudgetAloneKeepsItsFirstSpansAndDropsTheRest()
    {
        var traces = new TraceStore(1_000, maxBytes: 30_000);
        var added = traces.Add([.. Enumerable.Range(0, 20).Select(i => Big("t", $"s{i}", 2_000))]);

        Assert.InRange(added, 1, 19);
        Assert.Equal(20 - added, traces.Drops.DroppedSpans);
        Assert.Equal(Enumerable.Range(0, added).Select(i => $"s{i}"), traces.Get("t")!.Spans.Select(n => n.Span.SpanId));
        Assert.InRange(traces.Bytes, 0, 30_000);
    }

    [Fact]
    public void OldestTracesAreEvictedAndCountedAndLeaveTheIndexes()
    {
        var traces = new TraceStore(3);
        for (var i = 0; i < 5; i++)
        {
            traces.Add([Rpc($"t{i}", "s", null, SpanKind.Server, ApiResource, i == 0 ? "NOT_FOUND" : "OK", i, 1)]);
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
        traces.Add([Rpc("a", "1", null, SpanKind.Server, ApiResource, "OK", 0, 1)]);
        traces.Add([Rpc("b", "1", null, SpanKind.Server, ApiResource, "NOT_FOUND", 1, 1, ("order.id", "999"))]);
        traces.Add([Rpc("c", "1", null, SpanKind.Client, ClientResource, "CANCELLED", 2, 1) with { Attributes = RpcTags("processOrders", "1") }]);

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
        var server = Rpc("t", "s", null, SpanKind.Server, ApiResource, "CANCELLED", 0, 40, ("rpc.grpc.call_type", "duplex_streaming")) with
        {
            Events = [new SpanEvent("rpc.cancelled", T0.AddMilliseconds(30), [new("rpc.grpc.messages_received", "3"), new("rpc.grpc.messages_sent", "1")])],
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
        var span = Span("t", "s", null, SpanKind.Server, ApiResource, 0, 1) with
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ACallIsFoundFromEitherAttributeSetAndItsExtrasFromWhicheverServerSpanCarriesThem(bool extrasOnInnerSpan)
    {
        AttributeEntry[] newer = [new("rpc.system.name", "grpc"), new("rpc.method", "ecommerce.OrderManagement/getOrder"), new("rpc.response.status_code", "NOT_FOUND")];
        AttributeEntry[] extras = [new("rpc.grpc.call_type", "unary"), new("rpc.grpc.deadline_ms", "250"), new("rpc.grpc.messages_received", "1"),
            new("rpc.grpc.messages_sent", "0"), new("orders.request_id", "req-42")];
        var client = Span("t1", "c1", null, SpanKind.Client, ClientResource, 0, 40) with { Attributes = newer };
        var outer = Span("t1", "h1", "c1", SpanKind.Server, ApiResource, 2, 30) with { Attributes = [.. newer, .. extrasOnInnerSpan ? [] : extras] };
        var inner = Span("t1", "s1", "h1", SpanKind.Server, ApiResource, 3, 20) with
        {
            Attributes = [.. RpcTags("getOrder", "5"), .. extrasOnInnerSpan ? extras : []],
        };
        // An internal span with rpc.* (e.g. a store call inside the handler) is not a call of its own.
        var internalRpc = Span("t1", "i1", "s1", SpanKind.Internal, ApiResource, 4, 5) with { Attributes = RpcTags("getOrder", "0") };

        var traces = new TraceStore(10);
        traces.Add([internalRpc, inner, outer, client]);

        var call = Assert.Single(traces.Get("t1")!.Calls);
        Assert.Equal(("ecommerce.OrderManagement/getOrder", "NOT_FOUND", "unary"), (call.Method, call.Status, call.CallType));
        Assert.Equal(("c1", "s1"), (call.Client!.SpanId, call.Server!.SpanId));
        Assert.Equal((250d, 1L, 0L, "req-42"), (call.DeadlineMs!.Value, call.MessagesReceived!.Value, call.MessagesSent!.Value, call.RequestId));
        Assert.Equal(TimeSpan.FromMilliseconds(20), call.Used);
    }

    [Fact]
    public void ANumericStringStatusOfTheNewerSemconvIsReadAsItsName()
    {
        var span = Span("t1", "s1", null, SpanKind.Server, ApiResource, 0, 1) with
        {
            Attributes = [new("rpc.system.name", "grpc"), new("rpc.method", "ecommerce.OrderManagement/getOrder"), new("rpc.response.status_code", "4")],
        };
        Assert.Equal("DEADLINE_EXCEEDED", span.GrpcStatus);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void ANonFiniteDeadlineIsNoDeadline(string deadline)
    {
        var traces = new TraceStore(10);
        traces.Add([Rpc("t", "s", null, SpanKind.Server, ApiResource, "OK", 0, 5, ("rpc.grpc.deadline_ms", deadline))]);

        var call = Assert.Single(traces.Calls(10));
        Assert.Equal((null, null, false), (call.DeadlineMs, call.BudgetUsed, call.OverBudget));
    }

    [Fact]
    public void MatrixCountsCallsPerMethodAndStatusWithNearestRankPercentiles()
    {
        var traces = new TraceStore(1_000);
        // 100 OK calls using 1..100 ms, 2 NOT_FOUND calls.
        traces.Add([.. Enumerable.Range(1, 100).Select(ms => Rpc($"ok{ms}", "s", null, SpanKind.Server, ApiResource, "OK", 0, ms))]);
        traces.Add([Rpc("nf1", "s", null, SpanKind.Server, ApiResource, "NOT_FOUND", 0, 3), Rpc("nf2", "s", null, SpanKind.Server, ApiResource, "NOT_FOUND", 0, 7)]);

        var matrix = GrpcCallMatrix.From(traces.Calls(1_000));

        Assert.Equal(["ecommerce.OrderManagement/addOrder"], matrix.Methods);
        Assert.Equal(["OK", "NOT_FOUND"], matrix.Statuses);
        var ok = matrix.Cell("ecommerce.OrderManagement/addOrder", "OK")!;
        Assert.Equal((100, 50d, 95d, 99d), (ok.Count, ok.P50Ms, ok.P95Ms, ok.P99Ms));
        var notFound = matrix.Cell("ecommerce.OrderManagement/addOrder", "NOT_FOUND")!;
        Assert.Equal((2, 3d, 7d, 7d), (notFound.Count, notFound.P50Ms, notFound.P95Ms, notFound.P99Ms));
        Assert.Null(matrix.Cell("ecommerce.OrderManagement/addOrder", "CANCELLED"));
    }

    [Fact]
    public void MatrixCountsEachCallOfATrace_NotTheTrace()
    {
        var traces = new TraceStore(1_000);
        // One trace, two addOrder calls (client span above server span each) and one NOT_FOUND call.
        traces.Add(
        [
            Rpc("t", "c1", null, SpanKind.Client, ClientResource, "OK", 0, 12), Rpc("t", "s1", "c1", SpanKind.Server, ApiResource, "OK", 1, 10),
            Rpc("t", "c2", null, SpanKind.Client, ClientResource, "OK", 20, 32), Rpc("t", "s2", "c2", SpanKind.Server, ApiResource, "OK", 21, 30),
            Rpc("t", "c3", null, SpanKind.Client, ClientResource, "NOT_FOUND", 60, 5), Rpc("t", "s3", "c3", SpanKind.Server, ApiResource, "NOT_FOUND", 61, 3),
        ]);

        var matrix = GrpcCallMatrix.From(traces.Calls(1_000));

        var ok = matrix.Cell("ecommerce.OrderManagement/addOrder", "OK")!;
        Assert.Equal((2, 10d, 30d), (ok.Count, ok.P50Ms, ok.P99Ms));
        Assert.Equal(1, matrix.Cell("ecommerce.OrderManagement/addOrder", "NOT_FOUND")?.Count);
    }

    [Fact]
    public void TheBudgetUsedIsTheServersTime_NotTheClients()
    {
        var traces = new TraceStore(100);
        // The client waited 90 ms (connecting, queuing); the server used 40 ms of the 200 ms it was given.
        traces.Add(
        [
            Rpc("t", "c", null, SpanKind.Client, ClientResource, "OK", 0, 90),
            Rpc("t", "s", "c", SpanKind.Server, ApiResource, "OK", 45, 40, ("rpc.grpc.deadline_ms", "200")),
        ]);

        var call = Assert.Single(traces.Calls(10));
        Assert.Equal((TimeSpan.FromMilliseconds(40), 0.2), (call.Used, call.BudgetUsed));
        Assert.False(call.OverBudget);
    }

    [Fact]
    public async Task ConcurrentExportsLoseNothing()
    {
        var store = new TelemetryStore(new TelemetryLimitOptions { MaxTraceCount = 100_000 });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                var traceId = $"w{worker}-{i}";
                store.AddSpans([Rpc(traceId, "c", null, SpanKind.Client, ClientResource, "OK", 0, 2), Rpc(traceId, "s", "c", SpanKind.Server, ApiResource, "OK", 1, 1)]);
                _ = store.Traces.Query(new TraceQuery(Status: "OK", Limit: 10));
            }
        })));

        Assert.Equal(4_000, store.Traces.Count);
        var stored = store.Traces.Query(new TraceQuery(Limit: 4_000)).Traces;
        Assert.Equal(4_000, stored.Count);
        Assert.All(stored, t => Assert.Equal(2, t.SpanCount));
    }
}
