using OrdersAspire.GrpcInsights.Store;

namespace Orders.Tests.GrpcInsights;

/// <summary>The deadline advisor on synthetic calls whose right answers are known.</summary>
public sealed class DeadlineAdvisorTests
{
    private const string GetOrder = "ecommerce.OrderManagement/getOrder";
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly ResourceIdentity ClientResource = new("orders-client", "client-1");
    private static readonly ResourceIdentity Api = new("orders-api", "api-1");

    [Fact]
    public void TimePercentiles_AreNearestRank_AndTheSuggestionIsP999TimesOneAndAHalfRoundedUp()
    {
        // 1000 calls of 1..1000 ms: the nearest-rank percentiles are exact call times.
        var advice = Advise([.. Enumerable.Range(1, 1000).Select(ms => Call(ms, clientDeadlineMs: 5000))]);

        Assert.Equal((500d, 950d, 990d, 999d), (advice.TimeP50Ms, advice.TimeP95Ms, advice.TimeP99Ms, advice.TimeP999Ms));
        // 999 × 1.5 = 1498.5, above the slowest (1000), rounded up to two significant figures.
        Assert.Equal(1500, advice.SuggestedDeadlineMs);
        Assert.Equal("the larger of the successful calls' p99.9 × 1.5 and the slowest of them, rounded up to 2 significant figures", advice.Rule);
        Assert.Equal((1000, 1000), (advice.Calls, advice.SuccessfulCalls));
    }

    [Fact]
    public void TheSuggestion_IsNeverBelowTheSlowestSuccessfulCall_AndIgnoresFailedCalls()
    {
        // p99.9 of 2000 calls is the 1998th: 10 ms; the one slow success (730 ms) is the floor; the failure's 9 s is not.
        List<GrpcCall> calls = [.. Enumerable.Range(0, 1999).Select(_ => Call(10, clientDeadlineMs: 10_000)), Call(730, clientDeadlineMs: 10_000),
            Call(9000, "UNAVAILABLE", clientDeadlineMs: 10_000)];

        var advice = Advise(calls);

        Assert.Equal(730, advice.SuggestedDeadlineMs);
        Assert.Equal(2000, advice.SuccessfulCalls);
    }

    [Theory]
    [InlineData(1234, 1300)]
    [InlineData(1498.5, 1500)]
    [InlineData(120, 120)]
    [InlineData(99.1, 100)]
    [InlineData(7, 7)]
    [InlineData(0.456, 0.46)]
    [InlineData(0.30000000000000004, 0.3)]
    // 12 × 0.1 and 97 × 0.1 are 1.2000000000000002 and 9.700000000000001 in binary: the result is rounded to its step.
    [InlineData(1.15, 1.2)]
    [InlineData(9.65, 9.7)]
    [InlineData(0, 0)]
    [InlineData(-3, 0)]
    public void RoundingUp_KeepsTwoSignificantFigures(double value, double expected) =>
        Assert.Equal(expected, DeadlineAdvisor.RoundUp(value));

    [Fact]
    public void BelowTheMinimumOfSuccessfulCalls_ThereIsNoSuggestion_AndTheRuleSaysWhy()
    {
        var few = Advise([.. Enumerable.Range(1, DeadlineAdvisor.MinSuccessfulCalls - 1).Select(ms => Call(ms, clientDeadlineMs: 1000)),
            Call(5, "NOT_FOUND", clientDeadlineMs: 1000)]);
        var enough = Advise([.. Enumerable.Range(1, DeadlineAdvisor.MinSuccessfulCalls).Select(ms => Call(ms, clientDeadlineMs: 1000))]);

        Assert.Null(few.SuggestedDeadlineMs);
        Assert.Equal("no suggestion: it needs 20 successful calls, the window has 19", few.Rule);
        Assert.Equal(30, enough.SuggestedDeadlineMs);
    }

    [Fact]
    public void Shares_CountCallsWithoutADeadline_AndCallsThatRanOut()
    {
        List<GrpcCall> calls =
        [
            .. Enumerable.Range(0, 5).Select(_ => Call(10, clientDeadlineMs: 100)),
            .. Enumerable.Range(0, 3).Select(_ => Call(101, "DEADLINE_EXCEEDED", clientDeadlineMs: 100)),
            Call(10), Call(12),
        ];

        var advice = Advise(calls);

        Assert.Equal((0.2, 0.3), (advice.NoDeadlineShare, advice.DeadlineExceededShare));
        Assert.Contains(DeadlineAdvisor.NoDeadlineFlag, advice.Flags);
        Assert.DoesNotContain(DeadlineAdvisor.NoDeadlineFlag, Advise([.. calls.Take(8)]).Flags);
    }

    [Fact]
    public void DeadlinesSet_PreferTheClientsBudget_ElseTheServersArrivalBudget_AndSayWhich()
    {
        var fromClient = Advise([Call(5, clientDeadlineMs: 300, serverDeadlineMs: 290), Call(5, clientDeadlineMs: 200, serverDeadlineMs: 195),
            Call(5, clientDeadlineMs: 1000, serverDeadlineMs: 990)]);
        var fromServer = Advise([Call(5, serverDeadlineMs: 290), Call(5, serverDeadlineMs: 195)]);
        var mixed = Advise([Call(5, clientDeadlineMs: 300), Call(5, serverDeadlineMs: 195)]);
        var none = Advise([Call(5)]);

        Assert.Equal(("client", 300d, 200d), (fromClient.DeadlineSource, fromClient.DeadlineP50Ms, fromClient.DeadlineMinMs));
        Assert.Equal(("server arrival", 195d, 195d), (fromServer.DeadlineSource, fromServer.DeadlineP50Ms, fromServer.DeadlineMinMs));
        Assert.Equal(("client, else server arrival", 195d), (mixed.DeadlineSource, mixed.DeadlineMinMs));
        Assert.Equal<(string?, double?, double)>((null, null, 1), (none.DeadlineSource, none.DeadlineP50Ms, none.NoDeadlineShare));
    }

    [Fact]
    public void DeadlineBelowP99_IsFlagged_WhenCallsRoutinelyOutlastTheMedianDeadline()
    {
        // 100 calls, 2 of them at 150 ms: p99 is 150 ms, above a 100 ms deadline and below a 200 ms one.
        static List<GrpcCall> Calls(double deadline) =>
            [.. Enumerable.Range(0, 98).Select(_ => Call(20, clientDeadlineMs: deadline)), Call(150, clientDeadlineMs: deadline), Call(150, clientDeadlineMs: deadline)];

        Assert.Contains(DeadlineAdvisor.DeadlineBelowP99Flag, Advise(Calls(100)).Flags);
        Assert.DoesNotContain(DeadlineAdvisor.DeadlineBelowP99Flag, Advise(Calls(200)).Flags);
        Assert.DoesNotContain(DeadlineAdvisor.DeadlineBelowP99Flag, Advise(Calls(150)).Flags);
        Assert.DoesNotContain(DeadlineAdvisor.DeadlineBelowP99Flag, Advise([Call(500)]).Flags);
    }

    [Fact]
    public void AServerSpanPastItsArrivalBudget_IsWorkPastTheDeadline_AndFlaggedOnlyWhenItsHandlerWasNeverCancelled()
    {
        var ignored = Call(310, "DEADLINE_EXCEEDED", clientDeadlineMs: 300, serverDeadlineMs: 298, serverMs: 900);
        var cancelledLate = ignored with { HandlerCancelled = true };
        var withinGrace = Call(310, "DEADLINE_EXCEEDED", clientDeadlineMs: 300, serverDeadlineMs: 298, serverMs: 298 + DeadlineAdvisor.Grace.TotalMilliseconds);

        var flagged = Advise([ignored, withinGrace]);
        var notFlagged = Advise([cancelledLate, withinGrace]);

        Assert.Equal(0.5, flagged.KeptWorkingShare);
        Assert.Contains(DeadlineAdvisor.IgnoresCancellationFlag, flagged.Flags);
        Assert.Equal(0.5, notFlagged.KeptWorkingShare);
        Assert.DoesNotContain(DeadlineAdvisor.IgnoresCancellationFlag, notFlagged.Flags);
        Assert.Equal(0, Advise([withinGrace]).KeptWorkingShare);
    }

    [Fact]
    public void TheWindow_LeavesOutOlderCalls()
    {
        List<GrpcCall> calls =
        [
            Call(10, start: Now.AddMinutes(-4)),
            Call(10, start: Now.AddMinutes(-30)),
            Call(10, start: Now.AddHours(-2)) with { Method = "ecommerce.OrderManagement/addOrder" },
        ];

        Assert.Equal([(GetOrder, 1)], Calls(AdviceWindow.FiveMinutes));
        Assert.Equal([(GetOrder, 2)], Calls(AdviceWindow.OneHour));
        Assert.Equal([("ecommerce.OrderManagement/addOrder", 1), (GetOrder, 2)], Calls(AdviceWindow.AllHeld));

        (string, int)[] Calls(AdviceWindow window) => [.. DeadlineAdvisor.Advise(calls, window, Now).Select(a => (a.Method, a.Calls))];
    }

    [Fact]
    public void ACallExactlyAtTheWindowsStart_IsInTheWindow()
    {
        Assert.True(AdviceWindow.FiveMinutes.Holds(Call(10, start: Now.AddMinutes(-5)), Now));
        Assert.False(AdviceWindow.FiveMinutes.Holds(Call(10, start: Now.AddMinutes(-5).AddTicks(-1)), Now));
    }

    [Fact]
    public void TheWindows_AreNamedAndLabelledAsTheAdvisorPageListsThem() =>
        Assert.Equal([("5m", "last 5 minutes"), ("1h", "last hour"), ("all", "all held")], AdviceWindow.All.Select(w => (w.Name, w.Label)));

    [Theory]
    [InlineData("5m", "5m")]
    [InlineData("1h", "1h")]
    [InlineData("all", "all")]
    [InlineData(null, "all")]
    [InlineData("1H", null)]
    [InlineData("2h", null)]
    public void WindowNames_AreExact(string? name, string? parsed) => Assert.Equal(parsed, AdviceWindow.Parse(name)?.Name);

    [Fact]
    public void TransitPercentiles_AreOverCallsWithBothSides()
    {
        List<GrpcCall> calls = [.. Enumerable.Range(1, 100).Select(ms => Call(500, clientDeadlineMs: 1000, transitMs: ms)), Call(500) with { Server = null }];

        var advice = Advise(calls);

        Assert.Equal((50d, 99d), (advice.TransitP50Ms, advice.TransitP99Ms));
        Assert.Null(Advise([Call(500)]).TransitP50Ms);
    }

    [Fact]
    public void BudgetSpentInTransit_IsFromTheClientsStartToTheServersStart_WithinZeroAndTheClientsBudget()
    {
        Assert.Equal(40, Call(100, clientDeadlineMs: 1000, transitMs: 40).BudgetSpentInTransitMs);
        // A server clock behind the client's would give a negative figure; one far ahead, more than the budget.
        Assert.Equal(0, Call(100, clientDeadlineMs: 1000, transitMs: -15).BudgetSpentInTransitMs);
        Assert.Equal(1000, Call(100, clientDeadlineMs: 1000, transitMs: 5000).BudgetSpentInTransitMs);
        Assert.Null(Call(100, serverDeadlineMs: 1000, transitMs: 40).BudgetSpentInTransitMs);
        Assert.Null((Call(100, clientDeadlineMs: 1000) with { Server = null }).BudgetSpentInTransitMs);
    }

    [Fact]
    public void TheStore_ReadsEachSidesDeadlineFromItsOwnSpan()
    {
        var traces = new TraceStore(100);
        var client = Span("c1", null, SpanKind.Client, ClientResource, Now, 60, ("rpc.grpc.deadline_ms", "1000"));
        var server = Span("s1", "c1", SpanKind.Server, Api, Now.AddMilliseconds(40), 10, ("rpc.grpc.deadline_ms", "996.5"));
        traces.Add([client, server]);

        var call = Assert.Single(traces.Get("t1")!.Calls);

        Assert.Equal((1000d, 996.5, 996.5), (call.ClientDeadlineMs, call.ServerDeadlineMs, call.DeadlineMs));
        Assert.Equal(40, call.BudgetSpentInTransitMs);
        Assert.Equal(TimeSpan.FromMilliseconds(60), call.Waited);
    }

    private static MethodAdvice Advise(IReadOnlyList<GrpcCall> calls) => Assert.Single(DeadlineAdvisor.Advise(calls, AdviceWindow.AllHeld, Now));

    /// <summary>A call whose caller waited <paramref name="waitedMs"/>; its server span starts <paramref name="transitMs"/> later.</summary>
    private static GrpcCall Call(double waitedMs, string status = "OK", double? clientDeadlineMs = null, double? serverDeadlineMs = null,
        double? serverMs = null, DateTime? start = null, double transitMs = 1)
    {
        var begin = start ?? Now.AddSeconds(-1);
        return new GrpcCall
        {
            TraceId = "t",
            Method = GetOrder,
            Status = status,
            Start = begin,
            Client = Span("c", null, SpanKind.Client, ClientResource, begin, waitedMs),
            Server = Span("s", "c", SpanKind.Server, Api, begin.AddMilliseconds(transitMs), serverMs ?? waitedMs - 1),
            ClientDeadlineMs = clientDeadlineMs,
            ServerDeadlineMs = serverDeadlineMs,
        };
    }

    private static SpanData Span(string spanId, string? parent, SpanKind kind, ResourceIdentity resource, DateTime start, double durationMs,
        params (string Key, string Value)[] extra) => new()
    {
        TraceId = "t1",
        SpanId = spanId,
        ParentSpanId = parent,
        Name = GetOrder,
        Kind = kind,
        Resource = resource,
        Start = start,
        End = start.AddMilliseconds(durationMs),
        Attributes = [new("rpc.system", "grpc"), new("rpc.service", "ecommerce.OrderManagement"), new("rpc.method", "getOrder"),
            new("rpc.grpc.status_code", "0"), .. extra.Select(e => new AttributeEntry(e.Key, e.Value))],
    };
}
