using System.Globalization;
using System.Runtime.InteropServices;

namespace Orders.Api.Benchmarks;

/// <summary>The Markdown results page: how the run was made, then a table per measure with its medians, ratios, rounds and targets.</summary>
internal static class ResultsReport
{
    public const string FileName = "side-by-side.md";

    public static string[] Lines(HarnessOptions options, string loadAverageAtStart, IReadOnlyList<ResultTable> tables, IReadOnlyList<string> plots) =>
    [
        "# Side by side: the bare grpc-dotnet server, Orders.Api and the Python contract server",
        "",
        $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · {Environment.ProcessorCount} cores · Release build · load average {loadAverageAtStart} at start, {Statistics.LoadAverage()} at end",
        $"Command: `dotnet run -c Release --project Orders.Api.Benchmarks -- {options.CommandLine}` (what `benchmarks/run.sh` runs, after installing what is missing from Debian and building Release)",
        "",
        string.Create(CultureInfo.InvariantCulture,
            $"Every server is a real process on 127.0.0.1 (h2c), up for the whole run. {options.Rounds} interleaved rounds: each server once per measure and round, {options.WarmUp.TotalSeconds:N0} s warm-up then {options.Measured.TotalSeconds:N0} s measured;"),
        "getOrder has an uncounted round before them (the .NET servers compile their hot paths in the first pass), the store measures fill the stores first.",
        "The values are medians over the rounds, and every ratio is to the bare grpc-dotnet server measured in the same rounds. RSS is the server's VmRSS",
        "after its last round. The load generators (h2load, the .NET driver) share the machine's cores with the servers, and the machine runs other work",
        "too (see the load averages): read the ratios rather than the absolute rates. Targets are the project's performance goals; none is set for PostgreSQL, the",
        "Aspire dashboard or the sampled rows.",
        "",
        .. plots.Select(plot => $"![{Path.GetFileNameWithoutExtension(plot)}]({plot})"),
        "",
        .. tables.SelectMany(Table),
    ];

    private static IEnumerable<string> Table(ResultTable table)
    {
        yield return $"## {table.Measure}";
        yield return "";
        yield return table.HowMeasured;
        yield return "";
        yield return $"| Server | {table.Unit} (median) | Ratio to bare | p50 ms | p99 ms | Failed | RSS after, MiB | {table.Unit} per round | Target | Met |";
        yield return "|---|---|---|---|---|---|---|---|---|---|";
        foreach (var row in table.Rows)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {row.Server} | {row.Rate:N0} | {table.RatioText(row)} | {Number(row.P50Ms)} | {Number(row.P99Ms)} | {row.Failures} | {row.ResidentMiB:N0} | {string.Join(" · ", row.Runs.Select(r => r.Rate.ToString("N0", CultureInfo.InvariantCulture)))} | {row.Target?.Text ?? "–"} | {(row.Target is null ? "–" : row.Target.Met ? "met" : "not met")} |");
        }

        yield return "";
        foreach (var row in table.Rows.Where(r => r.Notes is not null))
        {
            yield return $"- {row.Server}: {row.Notes}";
        }

        yield return "";
    }

    // p50 and p99 are measured where there are many calls; a stream's rate has none.
    private static string Number(double value) => double.IsNaN(value) ? "–" : value.ToString("N2", CultureInfo.InvariantCulture);
}
