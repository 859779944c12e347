using OrdersAspire.GrpcInsights.Store;
using static Orders.Tests.GrpcInsights.StoredSpans;

namespace Orders.Tests.GrpcInsights;

/// <summary>A stored trace's summary line, span tree and filter matches, as the trace list and page show them.</summary>
public sealed class TraceRecordTests
{
    [Fact]
    public void TheSummaryNamesTheRootsServiceAndSpan_AndListsItsMethodsInOrdinalOrder()
    {
        var traces = new TraceStore(10);
        traces.Add([Rpc("t", "root", null, SpanKind.Client, ClientResource, "OK", 0, 10) with { Attributes = RpcTags("updateOrders", "0") },
            Rpc("t", "child", "root", SpanKind.Server, ApiResource, "OK", 1, 5)]);

        var summary = traces.Get("t")!.Summary;

        Assert.Equal("orders-client: ecommerce.OrderManagement/addOrder", summary.Name);
        Assert.Equal(["ecommerce.OrderManagement/addOrder", "ecommerce.OrderManagement/updateOrders"], summary.Methods);
    }

    [Fact]
    public void ATraceIsAnErrorForAnErrorStatusOrAnyErrorSpan_NotForAnOkOne()
    {
        var traces = new TraceStore(10);
        traces.Add([Rpc("ok", "s", null, SpanKind.Server, ApiResource, "OK", 0, 1), Span("ok", "i", "s", SpanKind.Internal, ApiResource, 0, 1)]);
        traces.Add([Rpc("span-error", "s", null, SpanKind.Server, ApiResource, "OK", 0, 1),
            Span("span-error", "i", "s", SpanKind.Internal, ApiResource, 0, 1) with { Status = SpanStatusCode.Error }]);
        traces.Add([Rpc("status-error", "s", null, SpanKind.Server, ApiResource, "NOT_FOUND", 0, 1), Span("status-error", "i", "s", SpanKind.Internal, ApiResource, 0, 1)]);

        string[] ids = ["ok", "span-error", "status-error"];
        Assert.Equal([false, true, true], ids.Select(id => traces.Get(id)!.Summary.HasError));
    }

    [Fact]
    public void SiblingsAreInStartOrder_AndAParentCycleIsShownFlatAfterTheTree()
    {
        var traces = new TraceStore(10);
        traces.Add([Span("t", "root", null, SpanKind.Internal, ApiResource, 0, 10), Span("t", "late", "root", SpanKind.Internal, ApiResource, 5, 1),
            Span("t", "early", "root", SpanKind.Internal, ApiResource, 2, 1),
            Span("t", "a", "b", SpanKind.Internal, ApiResource, 3, 1), Span("t", "b", "a", SpanKind.Internal, ApiResource, 4, 1)]);

        var spans = traces.Get("t")!.Spans;

        Assert.Equal([("root", 0), ("early", 1), ("late", 1), ("a", 0), ("b", 0)], spans.Select(n => (n.Span.SpanId, n.Depth)));
    }

    [Fact]
    public void FiltersMatchATraceByAnyOfItsMethodsOrSpans_AndAnEmptyServiceFiltersNothing()
    {
        var traces = new TraceStore(10);
        traces.Add([Rpc("t", "c", null, SpanKind.Client, ClientResource, "OK", 0, 10),
            Rpc("t", "s", "c", SpanKind.Server, ApiResource, "OK", 1, 5) with { Name = "inner", Attributes = RpcTags("getOrder", "0") }]);

        Assert.Equal(["t"], Ids(traces.Query(new TraceQuery(Method: "getOrder"))));
        Assert.Equal(["t"], Ids(traces.Query(new TraceQuery(Text: "inner"))));
        Assert.Equal(["t"], Ids(traces.Query(new TraceQuery(Service: "", Method: "addOrder"))));
    }
}
