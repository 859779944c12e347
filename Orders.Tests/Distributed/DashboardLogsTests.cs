using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>What the Aspire dashboard's structured logs hold for a call: its trace, and both request ids.</summary>
[Collection(TwoReplicaAppRun.Name)]
[Requires(Need.AppHost)]
public sealed class DashboardLogsTests(TwoReplicaApp fixture)
{
    [Fact]
    public async Task TheServersCallLogCarriesItsTraceAndBothTheHttpAndTheCallsRequestIds()
    {
        var logs = await Eventually.HoldsAsync(
            () => fixture.Aspire.Telemetry.RecentLogsAsync(),
            all => all.Any(IsCallEnd),
            "an orders-api call-end log record with the call's x-request-id");
        var log = logs.First(IsCallEnd);

        // Kestrel's scope RequestId and the call's own x-request-id are different values under different names.
        Assert.False(string.IsNullOrEmpty(log["RequestId"]));
        Assert.NotEqual(log["RequestId"], log["OrdersRequestId"]);

        // The record belongs to the call's server span in the dashboard's traces.
        var spans = await Eventually.HoldsAsync(
            () => fixture.Aspire.Telemetry.RecentSpansAsync(1000),
            all => all.Any(s => s.TraceId == log.TraceId && s.Service == "orders-api" && s.Kind == DashboardSpan.ServerKind),
            $"the server span of trace {log.TraceId}");
        Assert.Contains(spans, s => s.SpanId == log.SpanId && s["orders.request_id"] == log["OrdersRequestId"]);
    }

    private static bool IsCallEnd(DashboardLog log) =>
        log.Service == "orders-api" && !string.IsNullOrEmpty(log.TraceId) && !string.IsNullOrEmpty(log["OrdersRequestId"]) && log["StatusCode"] is not null;
}
