using OrdersAspire.GrpcInsights.Store;
using static Orders.Tests.GrpcInsights.StoredSpans;

namespace Orders.Tests.GrpcInsights;

/// <summary>Every part of a span counts toward the store's byte bound: each character two bytes (UTF-16), each entry more than its text.</summary>
public sealed class SpanSizeTests
{
    private static readonly SpanData Plain = Span("t", "s", null, SpanKind.Server, ApiResource, 0, 1) with
    {
        Scope = "scope",
        StatusMessage = "message",
        Attributes = [new("key", "value")],
        Events = [new SpanEvent("event", T0, [new("key", "value")])],
    };

    [Fact]
    public void EachLongerTextAddsTwoBytesPerCharacter()
    {
        Assert.Equal(2, Growth(Plain with { Name = Plain.Name + "x" }));
        Assert.Equal(2, Growth(Plain with { Scope = Plain.Scope + "x" }));
        Assert.Equal(2, Growth(Plain with { StatusMessage = Plain.StatusMessage + "x" }));
        Assert.Equal(4, Growth(Plain with { Attributes = [new("key", "value" + "xx")] }));
        Assert.Equal(2, Growth(Plain with { Attributes = [new("key" + "x", "value")] }));
        Assert.Equal(2, Growth(Plain with { Events = [new SpanEvent("event" + "x", T0, [new("key", "value")])] }));
        Assert.Equal(2, Growth(Plain with { Events = [new SpanEvent("event", T0, [new("key" + "x", "value")])] }));
    }

    [Fact]
    public void EachMoreAttributeOrEventAddsMoreThanItsText()
    {
        var attribute = Growth(Plain with { Attributes = [.. Plain.Attributes, new("k", "")] });
        var eventAttribute = Growth(Plain with { Events = [new SpanEvent("event", T0, [new("key", "value"), new("k", "")])] });

        Assert.InRange(attribute, 2 + 1, long.MaxValue);
        Assert.Equal(attribute, eventAttribute);
        Assert.InRange(Growth(Plain with { Events = [.. Plain.Events, new SpanEvent("e", T0, [])] }), 2 + 1, long.MaxValue);
    }

    private static long Growth(SpanData larger) => SpanSize.Estimate(larger) - SpanSize.Estimate(Plain);
}
