using OpenTelemetry.Exporter;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>Telemetry sent by the real OpenTelemetry .NET OTLP exporter arrives, assembled, over both OTLP transports.</summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class OtlpIngestionTests
{
    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task ExportedCallShowsClientAndServerSpanInOneTraceAsOneCall(OtlpExportProtocol protocol)
    {
        await using var insights = await InsightsHost.StartAsync();
        string traceId;
        using (var emitter = new OtlpTelemetryEmitter(protocol == OtlpExportProtocol.Grpc ? insights.OtlpGrpcUrl : insights.OtlpHttpUrl, protocol))
        {
            emitter.EmitCall(new SampleCall("getOrder", "OK"));
            traceId = emitter.EmitCall(new SampleCall("addOrder", "DEADLINE_EXCEEDED", DeadlineMs: 50, ServerMs: 60) { HandlerCancelled = true });
        }

        var list = await Eventually.HoldsAsync(
            () => insights.Http.GetJsonAsync("/api/traces?status=DEADLINE_EXCEEDED"),
            json => json.Items("traces").Any(t => t.GetProperty("spanCount").GetInt32() == 2),
            "the DEADLINE_EXCEEDED trace with both spans");
        var summary = Assert.Single(list.Items("traces"));
        Assert.Equal(traceId, summary.Str("traceId"));
        Assert.Equal(["orders-client", "orders-api"], summary.Items("services").Select(s => s.GetString()));
        Assert.True(summary.GetProperty("hasError").GetBoolean());

        var trace = await insights.Http.GetJsonAsync($"/api/traces/{traceId}");
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
    }
}
