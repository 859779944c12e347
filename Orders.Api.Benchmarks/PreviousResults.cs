using System.Globalization;

namespace Orders.Api.Benchmarks;

/// <summary>
/// The ratios to bare of an earlier run's results page (<see cref="ResultsReport.FileName"/>, by default the committed one the
/// run replaces): the no-regression targets compare this run's ratio to bare with them, so a busier machine does not read as a regression.
/// </summary>
public sealed class PreviousResults
{
    /// <summary>How far under the previous run's ratio to bare a row may fall before it counts as a regression.</summary>
    public const double Tolerance = 0.05;

    private readonly Dictionary<(string Measure, string Server), double> ratios;

    private PreviousResults(string? path, Dictionary<(string Measure, string Server), double> ratios)
    {
        Path = path;
        this.ratios = ratios;
    }

    /// <summary>The page read, or null when there was none.</summary>
    public string? Path { get; }

    /// <summary>The ratios of the page at <paramref name="path"/>; none when it does not exist.</summary>
    public static PreviousResults Read(string? path)
    {
        var ratios = new Dictionary<(string Measure, string Server), double>();
        if (path is null || !File.Exists(path))
        {
            return new PreviousResults(null, ratios);
        }

        string? measure = null;
        var ratioColumn = -1;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                (measure, ratioColumn) = (line[3..].Trim(), -1);
            }
            else if (measure is not null && line.StartsWith("| ", StringComparison.Ordinal) && Cells(line) is var cells)
            {
                if (ratioColumn < 0)
                {
                    ratioColumn = Array.IndexOf(cells, "Ratio to bare");
                }
                else if (ratioColumn < cells.Length && double.TryParse(cells[ratioColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio))
                {
                    ratios[(measure, cells[0])] = ratio;
                }
            }
        }

        return new PreviousResults(path, ratios);
    }

    public double? RatioToBare(string measure, string server) => ratios.TryGetValue((measure, server), out var ratio) ? ratio : null;

    /// <summary>
    /// <paramref name="target"/> and no regression: the ratio to bare at least (1 − <see cref="Tolerance"/>) × the previous run's,
    /// or <paramref name="target"/> alone, saying so, when the previous run has no such row.
    /// </summary>
    public Target NoRegression(Target target, string measure, string server, double ratioToBare) =>
        RatioToBare(measure, server) is { } before
            ? new Target(string.Create(CultureInfo.InvariantCulture, $"{target.Text}; ratio to bare ≥ {1 - Tolerance:N2}× the previous run's {ResultTable.RatioText(before)}"),
                target.Met && ratioToBare >= (1 - Tolerance) * before)
            : target with { Text = $"{target.Text}; no previous run to compare with" };

    private static string[] Cells(string line) => line.Split('|', StringSplitOptions.TrimEntries)[1..^1];
}
