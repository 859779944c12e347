using System.Text.Json;
using OrdersAspire.GrpcInsights.Security;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// Follow mode against the real Aspire dashboard: the services export OTLP once, to Aspire's dashboard, and the
/// insights read the spans from its telemetry API — also after the dashboard restarts.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class AspireFollowTests
{
    [Fact]
    [Requires(Need.Process)]
    public async Task CallsExportedToTheAspireDashboardShowUpInTheInsightsAndKeepComingAfterItRestarts()
    {
        await using var aspire = await AspireDashboardProcess.StartAsync();
        await using var insights = await InsightsHost.StartAsync(
            $"Insights:AspireDashboard:Url={aspire.FrontendUrl}", $"Insights:AspireDashboard:ApiKey={aspire.ApiKey}");

        string deadlineTrace, cancelledTrace;
        using (var emitter = new OtlpTelemetryEmitter(aspire.OtlpGrpcUrl, OtlpExportProtocol.Grpc))
        {
            emitter.EmitCall(new SampleCall("getOrder", "NOT_FOUND", DeadlineMs: 250, ServerMs: 3));
            deadlineTrace = emitter.EmitCall(new SampleCall("addOrder", "DEADLINE_EXCEEDED", DeadlineMs: 100, ServerMs: 104) { HandlerCancelled = true });
            cancelledTrace = emitter.EmitCall(new SampleCall("processOrders", "CANCELLED", "duplex_streaming", DeadlineMs: 10_000, ServerMs: 40)
            {
                MessagesReceived = 3,
                MessagesSent = 1,
                HandlerCancelled = true,
            });
        }

        var calls = await CompleteCallsAsync(insights, 3, "the three calls exported to the Aspire dashboard, both sides each");
        Assert.Contains(calls, c => c.Str("method") == "ecommerce.OrderManagement/getOrder" && c.Str("status") == "NOT_FOUND");
        var deadline = calls.Single(c => c.Str("traceId") == deadlineTrace);
        Assert.Equal(("ecommerce.OrderManagement/addOrder", "DEADLINE_EXCEEDED"), (deadline.Str("method"), deadline.Str("status")));
        Assert.Equal(100, deadline.GetProperty("deadlineMs").GetDouble());
        Assert.True(deadline.GetProperty("overBudget").GetBoolean());
        Assert.Equal(new Uri(aspire.FrontendUrl, $"/traces/detail/{deadlineTrace}").ToString(), deadline.Str("aspireTraceUrl"));
        var cancelled = calls.Single(c => c.Str("traceId") == cancelledTrace);
        Assert.Equal(("CANCELLED", "duplex_streaming"), (cancelled.Str("status"), cancelled.Str("callType")));
        Assert.Equal((3, 1), (cancelled.GetProperty("cancelledAtMessagesReceived").GetInt64(), cancelled.GetProperty("cancelledAtMessagesSent").GetInt64()));

        // The dashboard goes away and comes back (empty): the insights reconnect and keep what they had.
        await aspire.RestartAsync();
        using (var emitter = new OtlpTelemetryEmitter(aspire.OtlpGrpcUrl, OtlpExportProtocol.Grpc))
        {
            emitter.EmitCall(new SampleCall("searchOrders", "OK", "server_streaming", DeadlineMs: 10_000, ServerMs: 8) { MessagesSent = 4 });
        }

        var afterRestart = await CompleteCallsAsync(insights, 4, "the call exported after the Aspire dashboard restarted", timeoutSeconds: 45);
        Assert.Contains(afterRestart, c => c.Str("method") == "ecommerce.OrderManagement/searchOrders" && c.Str("status") == "OK");
    }

    [Fact]
    public async Task WhileFollowingTheInsightsOpenNoOtlpPortAndDoNotClaimToTakeAnyonesTelemetry()
    {
        // Follow mode needs no live dashboard to decide this; the follower just keeps retrying in the background.
        await using var insights = await InsightsHost.StartAsync(
            $"Insights:AspireDashboard:Url=http://127.0.0.1:{FreePort.Next()}", "Insights:AspireDashboard:ApiKey=key");

        foreach (var otlp in new[] { insights.OtlpGrpcUrl, insights.OtlpHttpUrl })
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => socket.ConnectAsync(otlp.Host, otlp.Port));
            Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        // What the page's "Unsecured" banner says: the loopback UI is open, but no OTLP endpoint takes anyone's telemetry.
        var security = insights.Services.GetRequiredService<InsightsSecurity>();
        Assert.True(security.IsUnsecured);
        Assert.False(security.OtlpOpenToAnyone);
    }

    private static async Task<List<JsonElement>> CompleteCallsAsync(InsightsHost insights, int count, string what, int timeoutSeconds = 30)
    {
        static bool Complete(JsonElement call) =>
            call.GetProperty("clientSpanId").ValueKind == JsonValueKind.String && call.GetProperty("serverSpanId").ValueKind == JsonValueKind.String;
        var calls = await Eventually.HoldsAsync(() => insights.Http.GetJsonAsync("/api/grpc/calls"),
            json => json.EnumerateArray().Count(Complete) >= count, what, timeoutSeconds);
        return [.. calls.EnumerateArray().Where(Complete)];
    }
}
