namespace OrdersAspire.GrpcInsights.Store;

/// <summary>The deadline advisor's figures for one method over one window; shares are 0..1, times in milliseconds.</summary>
/// <param name="NoDeadlineShare">Calls that carried no deadline at all.</param>
/// <param name="DeadlineSource">Where the deadlines below come from: "client" (the budget callers set), "server arrival"
/// (the budget left when the server saw the call: no client span carried one), or null when no call had a deadline.</param>
/// <param name="TimeP50Ms">Percentiles of the time callers waited (the client's span, else the server's), over every call.</param>
/// <param name="KeptWorkingShare">Calls whose server span ran past its arrival budget by more than the grace.</param>
/// <param name="TransitP50Ms">Percentiles of the budget spent before the server received the request, over calls with both sides.</param>
/// <param name="SuggestedDeadlineMs">Null when too few calls succeeded; <paramref name="Rule"/> then says why.</param>
/// <param name="Flags">Stable ids: see <see cref="DeadlineAdvisor"/>'s flag constants.</param>
public sealed record MethodAdvice(
    string Method,
    int Calls,
    int SuccessfulCalls,
    double NoDeadlineShare,
    string? DeadlineSource,
    double? DeadlineP50Ms,
    double? DeadlineMinMs,
    double TimeP50Ms,
    double TimeP95Ms,
    double TimeP99Ms,
    double TimeP999Ms,
    double DeadlineExceededShare,
    double KeptWorkingShare,
    double? TransitP50Ms,
    double? TransitP99Ms,
    double? SuggestedDeadlineMs,
    string Rule,
    IReadOnlyList<string> Flags);
