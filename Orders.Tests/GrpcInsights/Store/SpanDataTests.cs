using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.Shared;
using static Orders.Tests.GrpcInsights.Store.StoreSpans;

namespace Orders.Tests.GrpcInsights.Store;

/// <summary>What a stored span reads out of its fields and rpc attributes.</summary>
public sealed class SpanDataTests
{
    [Fact]
    public void AScopelessSpan_HasAnEmptyScope() => Assert.Equal("", Span("s1").Scope);

    [Fact]
    public void ASpanEndingBeforeItStarts_LastsNoTime()
    {
        var span = Span("s1", startMs: 10) with { End = T0 };

        Assert.Equal(TimeSpan.Zero, span.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(7), Span("s1", startMs: 10, durationMs: 7).Duration);
    }

    [Fact]
    public void OnlyAGrpcSpanHasAnRpcMethod()
    {
        Assert.Null(Span("h1", attributes: [(RpcSemanticConventions.RpcSystem, "http"), (RpcSemanticConventions.RpcMethod, "getOrder")]).RpcMethod);
        Assert.Equal("ecommerce.OrderManagement/getOrder", CallSide("s1", null, SpanKind.Server).RpcMethod);
    }

    [Theory]
    [InlineData(RpcSemanticConventions.RpcSystem)]
    [InlineData(RpcSemanticConventions.RpcSystemName)]
    public void TheFirstRpcSystemWins(string key) =>
        Assert.True(Span("s1", kind: SpanKind.Server, attributes: [(key, "grpc"), (key, "http")]).IsGrpcCallSide);

    [Fact]
    public void TheFirstServiceAndMethodWin()
    {
        var span = Span("s1", kind: SpanKind.Server, attributes: [
            (RpcSemanticConventions.RpcSystem, "grpc"),
            (RpcSemanticConventions.RpcService, "ecommerce.OrderManagement"), (RpcSemanticConventions.RpcService, "other.Service"),
            (RpcSemanticConventions.RpcMethod, "getOrder"), (RpcSemanticConventions.RpcMethod, "addOrder")]);

        Assert.Equal("ecommerce.OrderManagement/getOrder", span.RpcMethod);
    }

    [Theory]
    [InlineData(RpcSemanticConventions.ResponseStatusCode, "NOT_FOUND", "OK")]
    [InlineData(RpcSemanticConventions.GrpcStatusCode, "5", "0")]
    public void TheFirstStatusWins(string key, string first, string second) =>
        Assert.Equal("NOT_FOUND", CallSide("s1", null, SpanKind.Server, status: null, extra: [(key, first), (key, second)]).GrpcStatus);
}
