using OrdersAspire.GrpcInsights.Store;

namespace Orders.Tests.GrpcInsights;

/// <summary>The status bar shows "Limits reached" when <see cref="TelemetryDrops.Any"/>: never for nothing left out, always for anything.</summary>
public sealed class TelemetryDropsTests
{
    [Fact]
    public void NothingLeftOut_IsNotAny() => Assert.False(new TelemetryDrops().Any);

    [Theory]
    [InlineData(1, 0, 0, 0)]
    [InlineData(0, 1, 0, 0)]
    [InlineData(0, 0, 1, 0)]
    [InlineData(0, 0, 0, 1)]
    public void AnyOneCounterAboveZero_IsAny(int spans, int traces, int attributes, int events)
    {
        var drops = new TelemetryDrops();
        if (spans > 0)
        {
            drops.SpanDropped();
        }

        if (traces > 0)
        {
            drops.TraceEvicted();
        }

        drops.AttributesTruncated(attributes);
        drops.EventsDropped(events);

        Assert.Equal((spans, traces, attributes, events), ((int)drops.DroppedSpans, (int)drops.EvictedTraces, (int)drops.TruncatedAttributes, (int)drops.DroppedEvents));
        Assert.True(drops.Any);
    }
}
