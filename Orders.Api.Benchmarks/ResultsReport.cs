using System.Globalization;
using System.Runtime.InteropServices;

namespace Orders.Api.Benchmarks;

/// <summary>The Markdown results page: how the run was made, then a table per measure with its medians, ratios, rounds and targets.</summary>
internal static class ResultsReport
{
    public const string FileName = "side-by-side.md";

    public static string[] Lines(HarnessOptions options, string loadAverageAtStart, PreviousResults previous, IReadOnlyList<ResultTable> tables, IReadOnlyList<string> plots) =>
    [
        "# Side by side: the bare grpc-dotnet server, the Aspire template peer, Orders.Api and the Python contract server",
        "",
        $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · {Environment.ProcessorCount} cores · Release build · load average {loadAverageAtStart} at start, {Statistics.LoadAverage()} at end",
        $"Command: `dotnet run -c Release --project Orders.Api.Benchmarks -- {options.CommandLine}` (what `benchmarks/run.sh` runs, after installing what is missing from Debian and building Release)",
        "",
        string.Create(CultureInfo.InvariantCulture,
            $"Every server is a real process on 127.0.0.1 (h2c), up for the whole run. An uncounted round (the .NET servers compile their hot paths in the first pass), then {options.Rounds} interleaved rounds:"),
        string.Create(CultureInfo.InvariantCulture,
            $"each server once per measure and round, {options.WarmUp.TotalSeconds:N0} s warm-up then {options.Measured.TotalSeconds:N0} s measured; the store measures fill the stores first. After its getOrder the Python server"),
        string.Create(CultureInfo.InvariantCulture, $"is given up to {CpuSettling.Bound.TotalSeconds:N0} s to stop using the CPU (grpcio's threads stay busy for seconds) before the next server is measured."),
        "The values are medians over the counted rounds. Every ratio is to two servers measured in the same rounds: the bare grpc-dotnet server, and the template",
        "peer — the same bare server plus the Aspire starter template's service defaults as the template ships them (OpenTelemetry logs, metrics and traces",
        "with the ASP.NET Core, HttpClient and runtime instrumentation, OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set, health checks, service discovery,",
        "the standard resilience handler, Information logs with Microsoft.AspNetCore at Warning): `BareOrders.Server --template-defaults`. RSS is the server's VmRSS",
        "after its last round. The load generators (h2load, the .NET driver) share the machine's cores with the servers, and the machine runs other work",
        "too (see the load averages): read the ratios rather than the absolute rates. Targets are the project's performance goals; none is set for PostgreSQL, the",
        "Aspire dashboard or the sampled rows. " + (options.Baseline is { } baseline
            ? string.Create(CultureInfo.InvariantCulture, $"No regression means a rate at least {1 - PreviousResults.Tolerance:N2}× that of the baseline build {baseline.Name} (Orders.Api at an earlier commit, on SQLite as shipped), measured in the same rounds right beside this build, after it in odd rounds and before it in even ones.")
            : previous.Path is { } path
            ? string.Create(CultureInfo.InvariantCulture, $"No regression means a ratio to bare at least {1 - PreviousResults.Tolerance:N2}× the one in the previous results (`{Path.GetFileName(path)}`, read at the start of this run), so the machine's load cancels out.")
            : "No previous results were given (`--previous`), so the no-regression targets judge the absolute goal alone."),
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
        yield return $"| Server | {table.Unit} (median) | Ratio to bare | Ratio to peer | p50 ms | p99 ms | Failed | RSS after, MiB | {table.Unit} per round | Target | Met |";
        yield return "|---|---|---|---|---|---|---|---|---|---|---|";
        foreach (var row in table.Rows)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {row.Server} | {row.Rate:N0} | {ResultTable.RatioText(table.RatioToBare(row))} | {ResultTable.RatioText(table.RatioToPeer(row))} | {Number(row.P50Ms)} | {Number(row.P99Ms)} | {row.Failures} | {row.ResidentMiB:N0} | {string.Join(" · ", row.Runs.Select(r => r.Rate.ToString("N0", CultureInfo.InvariantCulture)))} | {row.Target?.Text ?? "–"} | {(row.Target is null ? "–" : row.Target.Met ? "met" : "not met")} |");
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
