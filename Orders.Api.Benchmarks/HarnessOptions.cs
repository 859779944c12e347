using System.Globalization;

namespace Orders.Api.Benchmarks;

/// <summary>
/// The harness's command line: `--rounds N` (3) interleaved rounds, `--seconds S` (5) measured per server, measure and
/// round, `--store-orders N` (100,000) orders in the store the streaming measures read, `--update-orders N` (50,000)
/// orders per updateOrders call, `--out DIR` where the results and plots go (none: print only).
/// </summary>
internal sealed record HarnessOptions(int Rounds, TimeSpan Measured, int StoreOrders, int UpdateOrders, string? ResultsDirectory, string CommandLine)
{
    /// <summary>Before each measured window: lets the .NET servers tier up their JIT and fill their pools.</summary>
    public TimeSpan WarmUp { get; } = TimeSpan.FromSeconds(1);

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions(Int(args, "--rounds", 3), TimeSpan.FromSeconds(Int(args, "--seconds", 5)), Int(args, "--store-orders", 100_000),
            Int(args, "--update-orders", 50_000), args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault(), string.Join(' ', args));
        if (options.Rounds < 1 || options.Measured <= TimeSpan.Zero || options.UpdateOrders < 1 || options.StoreOrders < options.UpdateOrders)
        {
            throw new ArgumentException("--rounds and --seconds must be positive, and --store-orders at least --update-orders.");
        }

        return options;
    }

    private static int Int(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
