namespace Orders.Tests.Infrastructure;

public sealed class FreePortTests
{
    [Fact]
    public void NeverHandsOutTheSamePortTwice()
    {
        // The OS alone repeats itself well within a few thousand asks (the ephemeral range is ~28k ports).
        var ports = Enumerable.Range(0, 3000).Select(_ => FreePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}
