using OpenTelemetry.Exporter;

namespace Orders.Tests.GrpcInsights;

/// <summary>Telemetry sent by the real OpenTelemetry .NET OTLP exporter arrives, assembled, over both OTLP transports.</summary>
[Collection(DashboardServersDefinition.Name)]
public sealed class OtlpIngestionTests
{
    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task ExportedCallShowsClientAndServerSpanInOneTraceWithItsLogsAndMetrics(OtlpExportProtocol protocol)
    {
        await using var dashboard = await DashboardHost.StartAsync();
        string traceId;
        using (var emitter = new OtlpTelemetryEmitter(protocol == OtlpExportProtocol.Grpc ? dashboard.OtlpGrpcUrl : dashboard.OtlpHttpUrl, protocol))
        {
            emitter.EmitCall(new SampleCall("getOrder", "OK"));
            traceId = emitter.EmitCall(new SampleCall("addOrder", "DEADLINE_EXCEEDED", DeadlineMs: 50, ServerMs: 60) { HandlerCancelled = true });
        }

        var list = await DashboardHost.EventuallyAsync(
            () => dashboard.Http.GetJsonAsync("/api/traces?status=DEADLINE_EXCEEDED"),
            json => json.Items("traces").Any(t => t.GetProperty("spanCount").GetInt32() == 2),
            "the DEADLINE_EXCEEDED trace with both spans");
        var summary = Assert.Single(list.Items("traces"));
        Assert.Equal(traceId, summary.Str("traceId"));
        Assert.Equal(["orders-client", "orders-api"], summary.Items("services").Select(s => s.GetString()));
        Assert.True(summary.GetProperty("hasError").GetBoolean());

        var trace = await dashboard.Http.GetJsonAsync($"/api/traces/{traceId}");
        var spans = trace.Items("spans").ToList();
        Assert.Equal(["Client", "Server"], spans.Select(s => s.Str("kind")));
        Assert.Equal(spans[0].Str("spanId"), spans[1].Str("parentSpanId"));
        Assert.All(spans, s => Assert.Equal("DEADLINE_EXCEEDED", s.Str("grpcStatus")));
        Assert.Equal("ecommerce.OrderManagement/addOrder", spans[1].Str("rpcMethod"));
        Assert.Equal("true", spans[1].GetProperty("attributes").Str("rpc.grpc.handler_cancelled"));
        Assert.Contains(spans[1].Items("events"), e => e.Str("name") == "rpc.cancelled");

        var call = Assert.Single(trace.Items("calls"));
        Assert.Equal(50, call.GetProperty("deadlineMs").GetDouble());
        Assert.True(call.GetProperty("budgetUsed").GetDouble() > 1);
        Assert.True(call.GetProperty("handlerCancelled").GetBoolean());

        var logs = await DashboardHost.EventuallyAsync(
            () => dashboard.Http.GetJsonAsync($"/api/logs?traceId={traceId}"),
            json => json.GetProperty("matchCount").GetInt32() > 0,
            "the interceptor log of the trace");
        var log = Assert.Single(logs.Items("logs"));
        Assert.Equal("Warning", log.Str("level"));
        Assert.Equal("orders-api", log.Str("service"));
        Assert.Contains("DEADLINE_EXCEEDED", log.Str("message"), StringComparison.Ordinal);
        Assert.Equal(spans[1].Str("spanId"), log.Str("spanId"));

        var durations = await DashboardHost.EventuallyAsync(
            () => dashboard.Http.GetJsonAsync("/api/metrics/rpc-durations"),
            json => json.GetArrayLength() == 2,
            "the RPC duration histogram rows");
        var deadlineRow = durations.EnumerateArray().Single(r => r.Str("status") == "DEADLINE_EXCEEDED");
        Assert.Equal("ecommerce.OrderManagement/addOrder", deadlineRow.Str("method"));
        Assert.Equal(1, deadlineRow.GetProperty("count").GetInt64());
        Assert.InRange(deadlineRow.GetProperty("p99").GetDouble(), 50, 75);

        var resources = await dashboard.Http.GetJsonAsync("/api/resources");
        var api = resources.EnumerateArray().Single(r => r.Str("name") == "orders-api");
        Assert.Equal("api-1", Assert.Single(api.Items("instances")).Str("instanceId"));
    }
}
