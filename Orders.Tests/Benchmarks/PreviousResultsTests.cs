using Orders.Api.Benchmarks;

namespace Orders.Tests.Benchmarks;

/// <summary>The harness reads the ratios to bare of the results page it replaces, for its no-regression targets.</summary>
public sealed class PreviousResultsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("orders-previous-results-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ReadsTheRatioToBareOfEachMeasureAndServerWhereverTheColumnIs()
    {
        var previous = PreviousResults.Read(Page(
            "## addOrder",
            "",
            "| Server | calls/s (median) | Ratio to bare | p50 ms | Target | Met |",
            "|---|---|---|---|---|---|",
            "| bare grpc-dotnet (benchmarks/BareOrders.Server) | 38,732 | 1.00 | 0.34 | – | – |",
            "| Orders.Api, SQLite | 14,389 | 0.37 | 0.96 | ≥ 5,000 calls/s | met |",
            "",
            "## searchOrders",
            "",
            "| Server | orders/s (median) | Ratio to peer | Ratio to bare | Target | Met |",
            "|---|---|---|---|---|---|",
            "| Orders.Api, SQLite | 301,703 | 0.97 | 0.99 | ≥ 200,000 orders/s | met |"));

        Assert.Equal(0.37, previous.RatioToBare("addOrder", "Orders.Api, SQLite"));
        Assert.Equal(1.00, previous.RatioToBare("addOrder", "bare grpc-dotnet (benchmarks/BareOrders.Server)"));
        Assert.Equal(0.99, previous.RatioToBare("searchOrders", "Orders.Api, SQLite"));
        Assert.Null(previous.RatioToBare("updateOrders", "Orders.Api, SQLite"));
        Assert.Null(previous.RatioToBare("addOrder", "Orders.Api, PostgreSQL"));
    }

    [Theory]
    [InlineData(0.36, true)]
    [InlineData(0.352, true)]
    [InlineData(0.35, false)]
    [InlineData(0.30, false)]
    public void NoRegressionAllowsFivePercentUnderThePreviousRatio(double ratioNow, bool met)
    {
        var previous = PreviousResults.Read(Page(
            "## addOrder",
            "| Server | calls/s (median) | Ratio to bare | Ratio to peer |",
            "|---|---|---|---|",
            "| Orders.Api, SQLite | 14,389 | 0.37 | 0.40 |"));

        var target = previous.NoRegression(new Target("≥ 5,000 calls/s", Met: true), "addOrder", "Orders.Api, SQLite", ratioNow);

        Assert.Equal(met, target.Met);
        Assert.Equal("≥ 5,000 calls/s; ratio to bare ≥ 0.95× the previous run's 0.37", target.Text);
    }

    [Fact]
    public void AMissedGoalIsNotMetHoweverTheRatioCompares()
    {
        var previous = PreviousResults.Read(Page("## addOrder", "| Server | Ratio to bare |", "|---|---|", "| Orders.Api, SQLite | 0.37 |"));

        Assert.False(previous.NoRegression(new Target("≥ 5,000 calls/s", Met: false), "addOrder", "Orders.Api, SQLite", 0.50).Met);
    }

    [Fact]
    public void WithoutAPreviousPageTheGoalAloneIsJudgedAndTheTargetSaysSo()
    {
        var previous = PreviousResults.Read(Path.Combine(folder, "missing.md"));

        var target = previous.NoRegression(new Target("≥ 5,000 calls/s", Met: true), "addOrder", "Orders.Api, SQLite", 0.01);

        Assert.Null(previous.Path);
        Assert.True(target.Met);
        Assert.Equal("≥ 5,000 calls/s; no previous run to compare with", target.Text);
    }

    private string Page(params string[] lines)
    {
        var path = Path.Combine(folder, "side-by-side.md");
        File.WriteAllLines(path, lines);
        return path;
    }
}
