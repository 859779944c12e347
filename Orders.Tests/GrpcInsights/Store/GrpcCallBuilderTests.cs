using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.Shared;
using static Orders.Tests.GrpcInsights.Store.StoreSpans;

namespace Orders.Tests.GrpcInsights.Store;

/// <summary>How a trace's gRPC spans become the calls view's rows: which side speaks for the call, and the fallbacks.</summary>
public sealed class GrpcCallBuilderTests
{
    [Fact]
    public void TheClientSpeaksForTheCall_ItsMethodStatusAndStart()
    {
        // The client gave up at its deadline while the server, which started later under another name, answered OK.
        var call = Assert.Single(Trace(
            CallSide("c1", null, SpanKind.Client, "getOrder", "DEADLINE_EXCEEDED", startMs: 0, durationMs: 50),
            CallSide("s1", "c1", SpanKind.Server, "GetOrder", "OK", startMs: 5, durationMs: 80)).Calls);

        Assert.Equal("ecommerce.OrderManagement/getOrder", call.Method);
        Assert.Equal("DEADLINE_EXCEEDED", call.Status);
        Assert.Equal(T0, call.Start);
        Assert.Equal("c1", call.Client!.SpanId);
        Assert.Equal("s1", call.Server!.SpanId);
    }

    [Fact]
    public void AClientOnlyValue_IsReadFromTheClientSpan()
    {
        var call = Assert.Single(Trace(
            CallSide("c1", null, SpanKind.Client, extra: [(RpcSemanticConventions.RequestId, "req-7"), (RpcSemanticConventions.CallType, "unary")]),
            CallSide("s1", "c1", SpanKind.Server, startMs: 1)).Calls);

        Assert.Equal("req-7", call.RequestId);
        Assert.Equal("unary", call.CallType);
    }

    [Fact]
    public void WithoutAClientStatus_TheServersStatusCounts_ElseUnknown()
    {
        var serverSays = Assert.Single(Trace(
            CallSide("c1", null, SpanKind.Client, status: null),
            CallSide("s1", "c1", SpanKind.Server, status: "NOT_FOUND", startMs: 1)).Calls);
        var noneSays = Assert.Single(Trace(
            CallSide("c1", null, SpanKind.Client, status: null),
            CallSide("s1", "c1", SpanKind.Server, status: null, startMs: 1)).Calls);
        var serverAlone = Assert.Single(Trace(CallSide("s1", null, SpanKind.Server, status: null)).Calls);

        Assert.Equal("NOT_FOUND", serverSays.Status);
        Assert.Equal("UNKNOWN", noneSays.Status);
        Assert.Equal("UNKNOWN", serverAlone.Status);
    }

    [Fact]
    public void ACancelledEventWithoutMessageCounts_GivesThePointWithoutCounts()
    {
        var server = CallSide("s1", null, SpanKind.Server, "processOrders", "CANCELLED", durationMs: 40) with
        {
            Events = [new SpanEvent(RpcSemanticConventions.CancelledEvent, T0.AddMilliseconds(30), [])],
        };

        var point = Assert.Single(Trace(server).Calls).CancelledAt;

        Assert.Equal(new CancellationPoint(TimeSpan.FromMilliseconds(30), null, null), point);
    }

    [Fact]
    public void ACancelledEventWithMessageCounts_GivesThem()
    {
        var server = CallSide("s1", null, SpanKind.Server, "processOrders", "CANCELLED", durationMs: 40) with
        {
            Events = [new SpanEvent(RpcSemanticConventions.CancelledEvent, T0.AddMilliseconds(30),
                [new(RpcSemanticConventions.MessagesSent, "2"), new(RpcSemanticConventions.MessagesReceived, "3")])],
        };

        Assert.Equal(new CancellationPoint(TimeSpan.FromMilliseconds(30), 3, 2), Assert.Single(Trace(server).Calls).CancelledAt);
    }

    [Fact]
    public void ServerSpansInAParentCycle_StillBecomeACall()
    {
        // Malformed input: each span names the other as its parent, so the walk up the parents must stop by itself.
        var calls = Trace(
            CallSide("s1", "s2", SpanKind.Server, "getOrder", startMs: 0),
            CallSide("s2", "s1", SpanKind.Server, "addOrder", startMs: 1)).Calls;

        // s2's parent s1 already has a call, so s2 joins it as the deeper server span.
        var call = Assert.Single(calls);
        Assert.Equal("s2", call.Server!.SpanId);
    }
}
