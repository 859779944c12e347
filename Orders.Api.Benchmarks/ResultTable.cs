using System.Globalization;

namespace Orders.Api.Benchmarks;

/// <summary>The performance target a row is held to, and whether the run met it.</summary>
public sealed record Target(string Text, bool Met);

/// <summary>One server or configuration, measured once per round.</summary>
/// <param name="Peer">The template peer row (<see cref="ResultRow.Server"/>) its second ratio is taken to.</param>
/// <param name="Notes">What else the row says: the telemetry delivered, what each round did.</param>
internal sealed record ResultRow(string Server, IReadOnlyList<MeasureRun> Runs, double ResidentMiB, string Peer, Target? Target = null, string? Notes = null)
{
    public double Rate => Statistics.Median(Runs.Select(r => r.Rate));

    public double P50Ms => Statistics.Median(Runs.Select(r => r.P50Ms));

    public double P99Ms => Statistics.Median(Runs.Select(r => r.P99Ms));

    public long Failures => Runs.Sum(r => r.Failures);
}

/// <summary>One measure side by side; the first row is the bare grpc-dotnet server every ratio is taken to.</summary>
internal sealed record ResultTable(string Measure, string Unit, string HowMeasured, IReadOnlyList<ResultRow> Rows)
{
    public double RatioToBare(ResultRow row) => row.Rate / Rows[0].Rate;

    public double RatioToPeer(ResultRow row) => row.Rate / Rows.Single(r => r.Server == row.Peer).Rate;

    /// <summary>
    /// Two decimals, cut rather than rounded: targets are "at least" a two-decimal ratio, and 0.796 printed as 0.80
    /// beside "not met" would read as a contradiction. Below 0.1, two significant digits, so a small ratio never reads as 0.
    /// </summary>
    public static string RatioText(double ratio) =>
        ratio >= 0.1 ? (Math.Floor(ratio * 100) / 100).ToString("N2", CultureInfo.InvariantCulture) : ratio.ToString("G2", CultureInfo.InvariantCulture);
}
