using OrdersAspire.GrpcInsights.Store;
using static Orders.Tests.GrpcInsights.Store.StoreSpans;

namespace Orders.Tests.GrpcInsights.Store;

/// <summary>The budget figures the calls view shows for one call, from its two sides' spans.</summary>
public sealed class GrpcCallTests
{
    private static readonly SpanData ClientSpan = Span("c1", kind: SpanKind.Client, durationMs: 120);
    private static readonly SpanData ServerSpan = Span("s1", "c1", SpanKind.Server, startMs: 10, durationMs: 100);

    [Fact]
    public void TheDeadline_IsTheServersArrivalBudget_ElseTheClients()
    {
        Assert.Equal(80, (Call(ClientSpan, ServerSpan) with { ClientDeadlineMs = 150, ServerDeadlineMs = 80 }).DeadlineMs);
        Assert.Equal(150, (Call(ClientSpan, ServerSpan) with { ClientDeadlineMs = 150 }).DeadlineMs);
        Assert.Null(Call(ClientSpan, ServerSpan).DeadlineMs);
    }

    [Fact]
    public void TheCallerWaited_TheClientSpan_ElseTheServerSpan()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(120), Call(ClientSpan, ServerSpan).Waited);
        Assert.Equal(TimeSpan.FromMilliseconds(100), Call(null, ServerSpan).Waited);
        Assert.Equal(TimeSpan.FromMilliseconds(120), Call(ClientSpan, null).Waited);
    }

    [Fact]
    public void BudgetUsed_IsTheServersTimeOverAPositiveDeadline_AndNoneWithoutOne()
    {
        Assert.Equal(0.5, (Call(ClientSpan, ServerSpan) with { ServerDeadlineMs = 200 }).BudgetUsed);
        Assert.Null((Call(ClientSpan, ServerSpan) with { ServerDeadlineMs = 0 }).BudgetUsed);
        Assert.Null((Call(ClientSpan, ServerSpan) with { ServerDeadlineMs = -5 }).BudgetUsed);
        Assert.Null(Call(ClientSpan, ServerSpan).BudgetUsed);
    }

    [Fact]
    public void OverBudget_StartsAtExactlyTheWholeBudget()
    {
        Assert.False((Call(ClientSpan, ServerSpan) with { ServerDeadlineMs = 101 }).OverBudget);
        Assert.True((Call(ClientSpan, ServerSpan) with { ServerDeadlineMs = 100 }).OverBudget);
        Assert.True((Call(ClientSpan, ServerSpan) with { ServerDeadlineMs = 99 }).OverBudget);
        Assert.False(Call(ClientSpan, ServerSpan).OverBudget);
    }

    private static GrpcCall Call(SpanData? client, SpanData? server) =>
        new() { TraceId = "t1", Method = "ecommerce.OrderManagement/getOrder", Status = "OK", Client = client, Server = server };
}
