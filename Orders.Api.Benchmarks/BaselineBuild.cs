using System.Globalization;

namespace Orders.Api.Benchmarks;

/// <summary>
/// Orders.Api built from an earlier commit (`--baseline-build` its Release output folder, `--baseline-name` the commit), run
/// beside this build in the store measures: their no-regression targets compare the two in the same rounds, so neither
/// the machine's load nor bare's own swings between runs read as a regression.
/// </summary>
public sealed record BaselineBuild(string OutputFolder, string Name)
{
    public string ServerName => $"Orders.Api, SQLite, baseline build {Name}";

    /// <summary><paramref name="target"/> and no regression: this build's rate at least (1 − <see cref="PreviousResults.Tolerance"/>) × the baseline's in the same rounds.</summary>
    public Target NoRegression(Target target, double rate, double baselineRate) =>
        new(string.Create(CultureInfo.InvariantCulture,
                $"{target.Text}; ≥ {1 - PreviousResults.Tolerance:N2}× the baseline build {Name} in the same rounds: {ResultTable.RatioText(rate / baselineRate)}×"),
            target.Met && rate >= (1 - PreviousResults.Tolerance) * baselineRate);
}
