using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.Shared;
using static Orders.Tests.GrpcInsights.Store.StoreSpans;

namespace Orders.Tests.GrpcInsights.Store;

/// <summary>One trace as the traces list and the trace page show it: its filters, summary and span tree.</summary>
public sealed class TraceRecordTests
{
    [Fact]
    public void TheMethodFilter_MatchesATraceWhenAnyOfItsMethodsContainsIt()
    {
        var traces = new TraceStore(10);
        traces.Add([CallSide("c1", null, SpanKind.Client, "getOrder"), CallSide("c2", null, SpanKind.Client, "addOrder", startMs: 5)]);

        Assert.Equal(["t1"], Ids(traces.Query(new TraceQuery(Method: "addorder"))));
        Assert.Equal(["t1"], Ids(traces.Query(new TraceQuery(Service: "", Method: "getOrder"))));
        Assert.Equal(["t1"], Ids(traces.Query(new TraceQuery(Service: "orders-client", Method: "getOrder"))));
        Assert.Empty(Ids(traces.Query(new TraceQuery(Method: "searchOrders"))));
    }

    [Fact]
    public void TheTextSearch_MatchesATraceWhenAnyOfItsSpansContainsIt()
    {
        var traces = new TraceStore(10);
        traces.Add([Span("a1"), Span("b1", "a1", startMs: 1) with { Name = "SELECT orders" }]);

        Assert.Equal(["t1"], Ids(traces.Query(new TraceQuery(Text: "select"))));
        Assert.Empty(Ids(traces.Query(new TraceQuery(Text: "insert"))));
    }

    [Fact]
    public void TheDetail_IsBuiltOnceUntilASpanArrives()
    {
        var traces = new TraceStore(10);
        traces.Add([Span("a1")]);

        var first = traces.Get("t1");
        Assert.Same(first, traces.Get("t1"));
        traces.Add([Span("b1", "a1")]);
        Assert.NotSame(first, traces.Get("t1"));
    }

    [Fact]
    public void TheSummary_NamesTheRootsServiceAndSpan_AndSortsTheMethods()
    {
        var summary = Trace(
            CallSide("c1", null, SpanKind.Client, "searchOrders"),
            CallSide("c2", null, SpanKind.Client, "addOrder", startMs: 5)).Summary;

        Assert.Equal("orders-client: ecommerce.OrderManagement/searchOrders", summary.Name);
        Assert.Equal(["ecommerce.OrderManagement/addOrder", "ecommerce.OrderManagement/searchOrders"], summary.Methods);
    }

    [Fact]
    public void ATraceEndingBeforeItStarts_LastsNoTime() =>
        Assert.Equal(TimeSpan.Zero, Trace(Span("a1", startMs: 10) with { End = T0 }).Summary.Duration);

    [Fact]
    public void HasError_WhenTheGrpcStatusIsAnError_OrAnySpanFailed()
    {
        Assert.True(Trace(CallSide("s1", null, SpanKind.Server, status: "UNAVAILABLE")).Summary.HasError);
        Assert.True(Trace(CallSide("s1", null, SpanKind.Server), Span("d1", "s1", startMs: 1) with { Status = SpanStatusCode.Error }).Summary.HasError);
        Assert.False(Trace(CallSide("s1", null, SpanKind.Server), Span("d1", "s1", startMs: 1) with { Status = SpanStatusCode.Ok }).Summary.HasError);
    }

    [Fact]
    public void Children_AreOrderedByStart_WhateverTheirArrival()
    {
        var trace = Trace(Span("root"), Span("late", "root", startMs: 9), Span("early", "root", startMs: 2), Span("grandchild", "early", startMs: 3));

        Assert.Equal(["root", "early", "grandchild", "late"], trace.Spans.Select(n => n.Span.SpanId));
        Assert.Equal([0, 1, 2, 1], trace.Spans.Select(n => n.Depth));
    }

    [Fact]
    public void SpansInAParentCycle_AreShownFlatAfterTheTree()
    {
        var trace = Trace(Span("root"), Span("x", "y", startMs: 1), Span("y", "x", startMs: 2), Span("child", "root", startMs: 3));

        Assert.Equal(["root", "child", "x", "y"], trace.Spans.Select(n => n.Span.SpanId));
        Assert.Equal([0, 1, 0, 0], trace.Spans.Select(n => n.Depth));
        Assert.Equal(4, trace.Summary.SpanCount);
    }

    [Fact]
    public void ALargeTrace_KeepsItsTreeAndIgnoresReSentSpans_PastTheSpanCountItScans()
    {
        // A chain of 12 spans, each the child of the one before: past 8 a trace looks its span ids up in a set.
        SpanData[] chain = [Span("s0"), .. Enumerable.Range(1, 11).Select(i => Span($"s{i}", $"s{i - 1}", startMs: i))];
        var traces = new TraceStore(10);

        Assert.Equal(12, traces.Add(chain));
        Assert.Equal(0, traces.Add([chain[3], chain[11]]));
        var trace = traces.Get("t1")!;
        Assert.Equal(chain.Select(span => span.SpanId), trace.Spans.Select(n => n.Span.SpanId));
        Assert.Equal(Enumerable.Range(0, 12), trace.Spans.Select(n => n.Depth));
        Assert.Equal(12, trace.Summary.SpanCount);
    }

    private static string[] Ids(TraceQueryResult result) => [.. result.Traces.Select(t => t.TraceId)];
}
