using Orders.Api.Benchmarks;

namespace Orders.Tests.Benchmarks;

/// <summary>With a baseline build in the run, no regression compares this build's rate with the baseline's from the same rounds.</summary>
public sealed class BaselineBuildTests
{
    private readonly BaselineBuild baseline = new("/unused", "90d9066");

    [Theory]
    [InlineData(9_500, true)]
    [InlineData(9_499, false)]
    [InlineData(12_000, true)]
    public void AllowsFivePercentUnderTheBaselinesRate(double rate, bool met)
    {
        var target = baseline.NoRegression(new Target("≥ 5,000 calls/s", Met: true), rate, baselineRate: 10_000);

        Assert.Equal(met, target.Met);
        Assert.StartsWith("≥ 5,000 calls/s; ≥ 0.95× the baseline build 90d9066 in the same rounds: ", target.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAbsoluteGoalStillCounts() =>
        Assert.False(baseline.NoRegression(new Target("≥ 5,000 calls/s", Met: false), 20_000, baselineRate: 10_000).Met);

    [Fact]
    public void SaysTheRatioToTheBaseline() =>
        Assert.EndsWith("in the same rounds: 1.20×", baseline.NoRegression(new Target("≥ 5,000 calls/s", Met: true), 12_000, baselineRate: 10_000).Text, StringComparison.Ordinal);

    // Cut, not rounded: 0.9499 printed as 0.95 beside "not met" would read as a contradiction.
    [Theory]
    [InlineData(9_499, "0.94")]
    [InlineData(9_500, "0.95")]
    [InlineData(7_957, "0.79")]
    [InlineData(12_149, "1.21")]
    [InlineData(471, "0.047")]
    public void SaysTheRatioCutToTwoDecimals_ASmallOneInTwoDigits(double rate, string ratio) =>
        Assert.EndsWith($"in the same rounds: {ratio}×", baseline.NoRegression(new Target("≥ 5,000 calls/s", Met: true), rate, baselineRate: 10_000).Text, StringComparison.Ordinal);

    [Fact]
    public void NamesItsRowAfterTheCommit() =>
        Assert.Equal("Orders.Api, SQLite, baseline build 90d9066", baseline.ServerName);
}
