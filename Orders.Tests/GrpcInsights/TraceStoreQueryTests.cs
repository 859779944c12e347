using OrdersAspire.GrpcInsights.Store;
using static Orders.Tests.GrpcInsights.StoredSpans;

namespace Orders.Tests.GrpcInsights;

/// <summary>What the trace list, its filters' choices and the call views read from the store.</summary>
public sealed class TraceStoreQueryTests
{
    [Fact]
    public void EveryListIsNewestFirst_FilteredByAnIndexOrNot()
    {
        var traces = new TraceStore(100);
        foreach (var id in new[] { "a", "b", "c" })
        {
            traces.Add([Rpc(id, "s", null, SpanKind.Server, ApiResource, "OK", 0, 1)]);
        }

        Assert.Equal(["c", "b", "a"], Ids(traces.Query(new TraceQuery())));
        Assert.Equal(["c", "b", "a"], Ids(traces.Query(new TraceQuery(Service: "orders-api"))));
        Assert.Equal(["c", "b", "a"], Ids(traces.Query(new TraceQuery(Status: "OK"))));
        Assert.Equal(["c", "b", "a"], Ids(traces.Query(new TraceQuery(Method: "addorder"))));
    }

    [Fact]
    public void AFullPageStillCountsEveryMatch_OfAMethodOrTextFilterAsOfNone()
    {
        var traces = new TraceStore(100);
        traces.Add([Rpc("a", "s", null, SpanKind.Server, ApiResource, "OK", 0, 1)]);
        traces.Add([Rpc("b", "s", null, SpanKind.Server, ApiResource, "OK", 1, 1) with
        {
            Name = "ecommerce.OrderManagement/processOrders", Attributes = RpcTags("processOrders", "0"),
        }]);
        traces.Add([Rpc("c", "s", null, SpanKind.Server, ApiResource, "OK", 2, 1)]);

        var byMethod = traces.Query(new TraceQuery(Method: "addOrder", Limit: 1));
        var byText = traces.Query(new TraceQuery(Text: "addOrder", Limit: 1));
        var unfiltered = traces.Query(new TraceQuery(Limit: 1));

        Assert.Equal(("c", 2, 3), (Assert.Single(Ids(byMethod)), byMethod.MatchCount, byMethod.TotalCount));
        Assert.Equal(("c", 2, 3), (Assert.Single(Ids(byText)), byText.MatchCount, byText.TotalCount));
        Assert.Equal(("c", 3, 3), (Assert.Single(Ids(unfiltered)), unfiltered.MatchCount, unfiltered.TotalCount));
    }

    [Fact]
    public void CallsAreReadFromTheNewestTracesOnly_UpToTheTraceLimit()
    {
        var traces = new TraceStore(100);
        foreach (var id in new[] { "a", "b", "c" })
        {
            traces.Add([Rpc(id, "s", null, SpanKind.Server, ApiResource, "OK", 0, 1)]);
        }

        Assert.Equal(["c", "b"], traces.Calls(2).Select(c => c.TraceId));
        Assert.Equal(["c", "b", "a"], traces.Calls(10).Select(c => c.TraceId));
    }

    [Fact]
    public void ServicesAndStatusesAreListedInOrdinalOrder()
    {
        var traces = new TraceStore(100);
        traces.Add([Rpc("a", "s", null, SpanKind.Server, new ResourceIdentity("orders-client", "c"), "OK", 0, 1)]);
        traces.Add([Rpc("b", "s", null, SpanKind.Server, new ResourceIdentity("Orders-Admin", "x"), "NOT_FOUND", 1, 1)]);
        traces.Add([Rpc("c", "s", null, SpanKind.Server, ApiResource, "CANCELLED", 2, 1)]);

        Assert.Equal(["Orders-Admin", "orders-api", "orders-client"], traces.Services());
        Assert.Equal(["CANCELLED", "NOT_FOUND", "OK"], traces.Statuses());
    }

    [Fact]
    public void AServiceLeavesTheListWithItsLastTrace_NotWithAnEarlierOne()
    {
        var traces = new TraceStore(2);
        traces.Add([Rpc("client-only", "s", null, SpanKind.Client, ClientResource, "OK", 0, 1)]);
        traces.Add([Rpc("api-1", "s", null, SpanKind.Server, ApiResource, "OK", 1, 1)]);
        traces.Add([Rpc("api-2", "s", null, SpanKind.Server, ApiResource, "OK", 2, 1)]);

        Assert.Equal(["orders-api"], traces.Services());
        Assert.Empty(Ids(traces.Query(new TraceQuery(Service: "orders-client"))));

        // Evicting api-1 leaves api-2 under orders-api.
        traces.Add([Rpc("client-2", "s", null, SpanKind.Client, ClientResource, "OK", 3, 1)]);

        Assert.Equal(["orders-api", "orders-client"], traces.Services());
        Assert.Equal(["api-2"], Ids(traces.Query(new TraceQuery(Service: "orders-api"))));
        Assert.Equal(["client-2", "api-2"], Ids(traces.Query(new TraceQuery(Status: "OK"))));
    }
}
