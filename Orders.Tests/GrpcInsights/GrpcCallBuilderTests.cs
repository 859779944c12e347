using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.Shared;
using static Orders.Tests.GrpcInsights.StoredSpans;

namespace Orders.Tests.GrpcInsights;

/// <summary>How a call is read from its two sides when they disagree or one of them lacks a fact.</summary>
public sealed class GrpcCallBuilderTests
{
    [Fact]
    public void ACallIsTheCallersView_ItsMethodStartAndStatus_AndTakesExtrasTheServerLacksFromTheClient()
    {
        var client = Rpc("t", "c", null, SpanKind.Client, ClientResource, "DEADLINE_EXCEEDED", 0, 100) with
        {
            Attributes = [.. RpcTags("getOrder", "4"), new(RpcSemanticConventions.CallType, "unary")],
        };
        var server = Rpc("t", "s", "c", SpanKind.Server, ApiResource, "OK", 10, 150);

        var call = Assert.Single(CallsOf(client, server));

        Assert.Equal(("ecommerce.OrderManagement/getOrder", T0, "DEADLINE_EXCEEDED", "unary"), (call.Method, call.Start, call.Status, call.CallType));
    }

    [Fact]
    public void AServerSpanWithoutAStatusIsUnknown()
    {
        var server = Span("t", "s", null, SpanKind.Server, ApiResource, 0, 5) with { Attributes = [.. RpcTags("getOrder", "0").SkipLast(1)] };

        Assert.Equal("UNKNOWN", Assert.Single(CallsOf(server)).Status);
    }

    [Fact]
    public void ACancellationWithoutMessageCountsSaysWhenItCame()
    {
        var server = Rpc("t", "s", null, SpanKind.Server, ApiResource, "CANCELLED", 0, 40) with
        {
            Events = [new SpanEvent(RpcSemanticConventions.CancelledEvent, T0.AddMilliseconds(30), [])],
        };

        Assert.Equal(new CancellationPoint(TimeSpan.FromMilliseconds(30), null, null), Assert.Single(CallsOf(server)).CancelledAt);
    }

    private static IReadOnlyList<GrpcCall> CallsOf(params SpanData[] spans)
    {
        var traces = new TraceStore(10);
        traces.Add(spans);
        return traces.Get("t")!.Calls;
    }
}
