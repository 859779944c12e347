using System.Net.Http.Json;
using System.Text.Json;
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
    public async Task Calls_AreFilteredByMethodAndStatus_AndLimited()
    {
        await using var insights = await InsightsHost.StartAsync();
        string found, missing, added;
        using (var emitter = new OtlpTelemetryEmitter(insights.OtlpGrpcUrl, OtlpExportProtocol.Grpc))
        {
            found = emitter.EmitCall(new SampleCall("getOrder", "OK"));
            missing = emitter.EmitCall(new SampleCall("getOrder", "NOT_FOUND"));
            added = emitter.EmitCall(new SampleCall("addOrder", "OK"));
        }

        await Eventually.HoldsAsync(() => insights.Http.GetJsonAsync("/api/grpc/calls"), calls => calls.GetArrayLength() == 3, "the three calls");
        async Task<string[]> TraceIds(string query) =>
            [.. (await insights.Http.GetJsonAsync($"/api/grpc/calls{query}")).EnumerateArray().Select(c => c.Str("traceId")).Order(StringComparer.Ordinal)];
        string[] Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

        // Part of the method, any case; the status whole, any case; an empty filter is no filter.
        Assert.Equal(Sorted(found, missing), await TraceIds("?method=GETORD"));
        Assert.Equal(Sorted(missing), await TraceIds("?status=not_found"));
        Assert.Equal(Sorted(found), await TraceIds("?method=getOrder&status=OK"));
        Assert.Equal(Sorted(found, missing, added), await TraceIds("?method=&status="));
        Assert.Single(await TraceIds("?limit=1"));
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

    [Fact]
    public async Task Advice_GivesOneObjectPerMethod_WithItsFigures_AndEachCallsBudgetSpentInTransit()
    {
        await using var insights = await InsightsHost.StartAsync();
        using (var emitter = new OtlpTelemetryEmitter(insights.OtlpGrpcUrl, OtlpExportProtocol.Grpc))
        {
            emitter.EmitCall(new SampleCall("getOrder", "OK", DeadlineMs: 245, ServerMs: 20) { ClientDeadlineMs = 250 });
            emitter.EmitCall(new SampleCall("getOrder", "DEADLINE_EXCEEDED", DeadlineMs: 245, ServerMs: 400) { ClientDeadlineMs = 250 });
            emitter.EmitCall(new SampleCall("addOrder", "OK", ServerMs: 7));
        }

        await Eventually.HoldsAsync(() => insights.Http.GetJsonAsync("/api/grpc/calls"),
            calls => calls.EnumerateArray().Count(c => c.GetProperty("clientSpanId").ValueKind == JsonValueKind.String) == 3, "the three calls' client spans");
        var advice = (await insights.Http.GetJsonAsync("/api/grpc/advice?window=5m")).EnumerateArray().ToList();

        Assert.Equal(["ecommerce.OrderManagement/addOrder", "ecommerce.OrderManagement/getOrder"], advice.Select(a => a.Str("method")));
        var getOrder = advice[1];
        Assert.Equal((2, 1), (getOrder.GetProperty("calls").GetInt32(), getOrder.GetProperty("successfulCalls").GetInt32()));
        Assert.Equal(("client", 250d), (getOrder.Str("deadlineSource"), getOrder.GetProperty("deadlineP50Ms").GetDouble()));
        // The emitter's client span outlasts its server span by 3 ms: 23 and 403 ms waited.
        Assert.Equal((23d, 403d), (getOrder.GetProperty("timeP50Ms").GetDouble(), getOrder.GetProperty("timeP99Ms").GetDouble()));
        Assert.Equal(0.5, getOrder.GetProperty("deadlineExceededShare").GetDouble());
        Assert.Equal(0.5, getOrder.GetProperty("keptWorkingShare").GetDouble());
        Assert.Equal(JsonValueKind.Null, getOrder.GetProperty("suggestedDeadlineMs").ValueKind);
        Assert.Equal("no suggestion: it needs 20 successful calls, the window has 1", getOrder.Str("rule"));
        Assert.Equal(["deadline-below-p99", "server-ignores-cancellation"], getOrder.Items("flags").Select(f => f.GetString()));
        Assert.Equal(["no-deadline"], advice[0].Items("flags").Select(f => f.GetString()));

        // The emitter starts the server span 1 ms after the client span; a call without the client's deadline has no figure.
        var calls = await insights.Http.GetJsonAsync("/api/grpc/calls");
        Assert.All(calls.EnumerateArray().Where(c => c.Str("method").EndsWith("getOrder", StringComparison.Ordinal)),
            c => Assert.Equal(1d, c.GetProperty("budgetSpentInTransitMs").GetDouble()));
        Assert.Equal(JsonValueKind.Null, calls.EnumerateArray().Single(c => c.Str("method").EndsWith("addOrder", StringComparison.Ordinal))
            .GetProperty("budgetSpentInTransitMs").ValueKind);
    }

    [Theory]
    [InlineData("2h")]
    [InlineData("5M")]
    public async Task Advice_ForAWindowItDoesNotKnow_Is400_NamingTheWindowsItKnows(string window)
    {
        await using var insights = await InsightsHost.StartAsync();

        using var response = await insights.Http.GetAsync(new Uri($"/api/grpc/advice?window={window}", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("window must be one of 5m, 1h, all.", body.Str("error"));
    }
}
