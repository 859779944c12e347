using System.Globalization;

namespace Orders.Api.Benchmarks;

/// <summary>
/// The harness's command line: `--rounds N` (5) counted interleaved rounds after an uncounted one, `--seconds S` (5) measured
/// per server, measure and round, `--store-orders N` (100,000) orders in the store the streaming measures read,
/// `--update-orders N` (50,000) orders per updateOrders call, `--out DIR` where the results and plots go (none: print only),
/// `--previous FILE` the earlier results page the no-regression targets compare with (the one in `--out` it replaces), unless
/// `--baseline-build DIR --baseline-name NAME` gives an earlier build of Orders.Api to measure beside this one (<see cref="BaselineBuild"/>).
/// </summary>
internal sealed record HarnessOptions(
    int Rounds, TimeSpan Measured, int StoreOrders, int UpdateOrders, string? ResultsDirectory, string? PreviousResults, BaselineBuild? Baseline, string CommandLine)
{
    /// <summary>Before each measured window: lets the .NET servers tier up their JIT and fill their pools.</summary>
    public TimeSpan WarmUp { get; } = TimeSpan.FromSeconds(1);

    public static HarnessOptions Parse(string[] args)
    {
        var results = Text(args, "--out");
        var options = new HarnessOptions(Int(args, "--rounds", 5), TimeSpan.FromSeconds(Int(args, "--seconds", 5)), Int(args, "--store-orders", 100_000),
            Int(args, "--update-orders", 50_000), results, Text(args, "--previous") ?? (results is null ? null : Path.Combine(results, ResultsReport.FileName)),
            Text(args, "--baseline-build") is { } baseline ? new BaselineBuild(Path.GetFullPath(baseline), Text(args, "--baseline-name") ?? Path.GetFileName(baseline)) : null,
            string.Join(' ', args));
        if (options.Rounds < 1 || options.Measured <= TimeSpan.Zero || options.UpdateOrders < 1 || options.StoreOrders < options.UpdateOrders)
        {
            throw new ArgumentException("--rounds and --seconds must be positive, and --store-orders at least --update-orders.");
        }

        if (options.Baseline is { } build && !File.Exists(Path.Combine(build.OutputFolder, "Orders.Api.dll")))
        {
            throw new ArgumentException($"--baseline-build {build.OutputFolder} holds no Orders.Api.dll: give the Release output folder of Orders.Api built at the baseline commit.");
        }

        return options;
    }

    private static string? Text(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static int Int(string[] args, string name, int fallback) =>
        Text(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
