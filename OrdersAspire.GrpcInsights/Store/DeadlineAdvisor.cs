using Grpc.Core;
using OrdersAspire.Shared;

namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// Per method: the deadlines callers set, the time calls take, how often they run out or outlive their deadline on
/// the server, and a suggested deadline with the rule that produced it (docs/grpc-insights.md, "Deadline advisor").
/// </summary>
public static class DeadlineAdvisor
{
    /// <summary>Some calls of the method carried no deadline: a stuck server holds those callers for ever.</summary>
    public const string NoDeadlineFlag = "no-deadline";

    /// <summary>The median deadline is below the 99th percentile of the time waited: calls routinely run out.</summary>
    public const string DeadlineBelowP99Flag = "deadline-below-p99";

    /// <summary>A server span ran past its arrival budget and its handler was never cancelled: it finished work nobody awaited.</summary>
    public const string IgnoresCancellationFlag = "server-ignores-cancellation";

    /// <summary>Below this many successful calls there is no suggestion: the slowest of a few is likely not the method's slowest.</summary>
    public const int MinSuccessfulCalls = 20;

    public const double Headroom = 1.5;

    public const int SignificantFigures = 2;

    /// <summary>How far a server span may run past its arrival budget and still count as stopping at the deadline: time to see the timer fire and unwind.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(100);

    public static readonly string SuggestionRule =
        $"the larger of the successful calls' p99.9 × {Headroom} and the slowest of them, rounded up to {SignificantFigures} significant figures";

    private static readonly string Ok = GrpcStatusNames.Of((int)StatusCode.OK);
    private static readonly string DeadlineExceeded = GrpcStatusNames.Of((int)StatusCode.DeadlineExceeded);

    /// <summary>One entry per method with a call in <paramref name="window"/> (ending at <paramref name="now"/>), by method name.</summary>
    public static IReadOnlyList<MethodAdvice> Advise(IEnumerable<GrpcCall> calls, AdviceWindow window, DateTime now) =>
    [
        .. calls.Where(c => window.Holds(c, now))
            .GroupBy(c => c.Method, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ForMethod(g.Key, [.. g])),
    ];

    /// <summary><paramref name="value"/> rounded up to <see cref="SignificantFigures"/> significant figures (1234 → 1300, 0.456 → 0.46).</summary>
    public static double RoundUp(double value)
    {
        if (value <= 0)
        {
            return 0;
        }

        var exponent = (int)Math.Floor(Math.Log10(value)) - (SignificantFigures - 1);
        var step = Math.Pow(10, exponent);
        // Rounded before the ceiling so a quotient such as 12.000000000000002 stays 12 and does not become 13.
        var steps = Math.Ceiling(Math.Round(value / step, 9));
        return exponent >= 0 ? steps * step : Math.Round(steps * step, Math.Min(15, -exponent));
    }

    private static MethodAdvice ForMethod(string method, IReadOnlyList<GrpcCall> calls)
    {
        // Per call the client's figure when its span carried one: the server's arrival budget is what is left of it.
        var fromClient = calls.Count(c => c.ClientDeadlineMs is not null);
        var deadlines = Sorted(calls.Select(c => c.ClientDeadlineMs ?? c.ServerDeadlineMs).OfType<double>());
        var fromServer = deadlines.Length - fromClient;
        var waited = Sorted(calls.Select(c => c.Waited.TotalMilliseconds));
        var successful = Sorted(calls.Where(c => c.Status == Ok).Select(c => c.Waited.TotalMilliseconds));
        var transit = Sorted(calls.Select(c => c.BudgetSpentInTransitMs).OfType<double>());
        var keptWorking = calls.Where(KeptWorking).ToList();

        var deadlineP50 = deadlines.Length > 0 ? NearestRank.Percentile(deadlines, 0.50) : (double?)null;
        var timeP99 = NearestRank.Percentile(waited, 0.99);
        List<string> flags = [];
        if (deadlines.Length < calls.Count)
        {
            flags.Add(NoDeadlineFlag);
        }

        if (deadlineP50 < timeP99)
        {
            flags.Add(DeadlineBelowP99Flag);
        }

        if (keptWorking.Any(c => !c.HandlerCancelled))
        {
            flags.Add(IgnoresCancellationFlag);
        }

        var (suggestion, rule) = successful.Length >= MinSuccessfulCalls
            ? (RoundUp(Math.Max(NearestRank.Percentile(successful, 0.999) * Headroom, successful[^1])), SuggestionRule)
            : ((double?)null, $"no suggestion: it needs {MinSuccessfulCalls} successful calls, the window has {successful.Length}");

        return new MethodAdvice(
            method,
            calls.Count,
            successful.Length,
            Share(calls.Count - deadlines.Length, calls.Count),
            (fromClient, fromServer) switch
            {
                (0, 0) => null,
                (_, 0) => "client",
                (0, _) => "server arrival",
                _ => "client, else server arrival",
            },
            deadlineP50,
            deadlines.Length > 0 ? deadlines[0] : null,
            NearestRank.Percentile(waited, 0.50),
            NearestRank.Percentile(waited, 0.95),
            timeP99,
            NearestRank.Percentile(waited, 0.999),
            Share(calls.Count(c => c.Status == DeadlineExceeded), calls.Count),
            Share(keptWorking.Count, calls.Count),
            transit.Length > 0 ? NearestRank.Percentile(transit, 0.50) : null,
            transit.Length > 0 ? NearestRank.Percentile(transit, 0.99) : null,
            suggestion,
            rule,
            flags);
    }

    /// <summary>The server span outlived its arrival budget by more than <see cref="Grace"/>: the server worked on after the deadline.</summary>
    private static bool KeptWorking(GrpcCall call) =>
        call.Server is { } server && call.ServerDeadlineMs is { } budget && server.Duration.TotalMilliseconds > budget + Grace.TotalMilliseconds;

    private static double[] Sorted(IEnumerable<double> values) => [.. values.Order()];

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
