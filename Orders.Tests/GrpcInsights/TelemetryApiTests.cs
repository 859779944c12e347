using OpenTelemetry.Exporter;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>The JSON API's filters and figures over telemetry sent by the real OTLP exporter to the insights on real Kestrel.</summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class TelemetryApiTests
{
    [Fact]
    public async Task TracesFilteredByMethod_AreOnlyThoseWithACallOfThatMethod()
    {
        await using var insights = await InsightsHost.StartAsync();
        string addOrder;
        using (var emitter = new OtlpTelemetryEmitter(insights.OtlpGrpcUrl, OtlpExportProtocol.Grpc))
        {
            emitter.EmitCall(new SampleCall("getOrder", "OK"));
            addOrder = emitter.EmitCall(new SampleCall("addOrder", "OK"));
            emitter.EmitCall(new SampleCall("deleteOrder", "NOT_FOUND"));
        }

        await Eventually.HoldsAsync(() => insights.Http.GetJsonAsync("/api/traces"), all => all.GetProperty("matchCount").GetInt32() == 3, "the three traces");

        // Part of the name, any case, as the trace list's method box takes it.
        var filtered = await insights.Http.GetJsonAsync("/api/traces?method=ADDORD");
        Assert.Equal([addOrder], filtered.Items("traces").Select(t => t.Str("traceId")));
        Assert.Equal((1, 3), (filtered.GetProperty("matchCount").GetInt32(), filtered.GetProperty("totalCount").GetInt32()));
    }

    [Fact]
    public async Task ACallsBudgetUsed_IsTheServersTimeOverItsDeadline()
    {
        await using var insights = await InsightsHost.StartAsync();
        string traceId;
        using (var emitter = new OtlpTelemetryEmitter(insights.OtlpGrpcUrl, OtlpExportProtocol.Grpc))
        {
            traceId = emitter.EmitCall(new SampleCall("getOrder", "OK", DeadlineMs: 100, ServerMs: 20));
        }

        await Eventually.HoldsAsync(
            () => insights.Http.GetJsonAsync($"/api/traces?text={traceId}"),
            list => list.Items("traces").Any(t => t.GetProperty("spanCount").GetInt32() == 2), "the call's trace with both spans");
        var call = Assert.Single((await insights.Http.GetJsonAsync($"/api/traces/{traceId}")).Items("calls"));

        // The emitter's client span lasts 3 ms longer than its server span: the budget is the server's 20 ms of 100.
        Assert.Equal((23d, 20d), (call.GetProperty("clientDurationMs").GetDouble(), call.GetProperty("serverDurationMs").GetDouble()));
        Assert.Equal((20d, 0.2), (call.GetProperty("usedMs").GetDouble(), call.GetProperty("budgetUsed").GetDouble()));
        Assert.False(call.GetProperty("overBudget").GetBoolean());
    }
}
