using System.Text.Json;
using Microsoft.Playwright;
using Orders.Tests.Client;
using Orders.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The real Orders.Api and Orders.Client processes export to running insights with the standard OTEL_* variables
/// (as an AppHost sets them); the insights' API then shows the scenario's errors as assembled traces and calls.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
[Requires(Need.Chromium)]
public sealed class OrdersEndToEndTests
{
    [Fact]
    public async Task ScenarioShowsDeadlineCancelledAndNotFoundCalls()
    {
        await using var insights = await InsightsHost.StartAsync();
        await using var api = await OrdersApiProcess.StartAsync(environment: Otel(insights, "orders-api", "api-e2e"));
        var run = await ClientProcess.RunAsync(["--address", api.Address.ToString().TrimEnd('/'), "scenario"], environment: Otel(insights, "orders-client", "client-e2e"));
        Assert.True(run.ExitCode == 0, run.ToString());

        // DEADLINE_EXCEEDED: the client span (orders-client) and the server span (orders-api) in one trace.
        var deadline = await TraceWhereAsync(insights, "DEADLINE_EXCEEDED", "getOrder", spans =>
            spans.Any(s => s.Str("kind") == "Client" && s.Str("service") == "orders-client" && s.Str("grpcStatus") == "DEADLINE_EXCEEDED")
            && spans.Any(s => s.Str("kind") == "Server" && s.Str("service") == "orders-api" && s.Str("grpcStatus") == "DEADLINE_EXCEEDED"
                && s.GetProperty("attributes").TryGetProperty("rpc.grpc.deadline_ms", out _)));
        var deadlineCall = deadline.Items("calls").Single(c => c.GetProperty("serverSpanId").ValueKind == JsonValueKind.String);
        Assert.Equal("DEADLINE_EXCEEDED", deadlineCall.Str("status"));
        Assert.InRange(deadlineCall.GetProperty("deadlineMs").GetDouble(), 1, 250);

        // CANCELLED processOrders: a bidi stream the client cancelled, with its message counts.
        var cancelled = await TraceWhereAsync(insights, "CANCELLED", "processOrders", spans =>
            spans.Any(s => s.Str("kind") == "Server" && s.Str("service") == "orders-api" && s.Str("grpcStatus") == "CANCELLED"));
        var cancelledCall = cancelled.Items("calls").Single(c => c.Str("method") == "ecommerce.OrderManagement/processOrders");
        Assert.Equal("CANCELLED", cancelledCall.Str("status"));
        Assert.Equal("duplex_streaming", cancelledCall.Str("callType"));
        Assert.True(cancelledCall.GetProperty("messagesReceived").GetInt64() >= 1);

        // NOT_FOUND getOrder.
        var notFound = await TraceWhereAsync(insights, "NOT_FOUND", "getOrder", spans =>
            spans.Any(s => s.Str("service") == "orders-api" && s.Str("grpcStatus") == "NOT_FOUND"));
        Assert.Contains(notFound.Items("spans"), s => s.Str("service") == "orders-client");

        var calls = await insights.Http.GetJsonAsync("/api/grpc/calls?status=NOT_FOUND");
        Assert.Contains(calls.EnumerateArray(), c => c.Str("method") == "ecommerce.OrderManagement/getOrder");

        await ShowDeadlineTraceInBrowserAsync(insights, deadline);
    }

    /// <summary>The same trace in the UI: the client span above the server span, the server span selected.</summary>
    private static async Task ShowDeadlineTraceInBrowserAsync(InsightsHost insights, JsonElement trace)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.OpenAsync(browser, insights.FrontendUrl, $"/traces/{trace.GetProperty("summary").Str("traceId")}");
        // Exactly the trace's spans, in the API's tree order, each row naming its span.
        var spans = trace.Items("spans").ToList();
        var rows = page.Locator(".waterfall .wf-row[data-span-kind]");
        await Expect(rows).ToHaveCountAsync(spans.Count);
        for (var i = 0; i < spans.Count; i++)
        {
            await Expect(rows.Nth(i)).ToHaveAttributeAsync("data-span-id", spans[i].Str("spanId"));
            await Expect(rows.Nth(i).Locator("button")).ToContainTextAsync(spans[i].Str("name"));
        }

        var client = page.Locator(".waterfall .wf-row[data-span-kind='Client'][data-service='orders-client']").First;
        var server = page.Locator(".waterfall .wf-row[data-span-kind='Server'][data-service='orders-api']").Last;
        await Expect(client).ToContainTextAsync("DEADLINE_EXCEEDED");
        await Expect(server).ToContainTextAsync("DEADLINE_EXCEEDED");
        await server.Locator("button").ClickAsync();
        await Expect(page.Locator("#span-detail")).ToContainTextAsync("rpc.grpc.handler_cancelled");
        await Chromium.ScreenshotAsync(page, "e2e-deadline-trace.png");
    }

    private static async Task<JsonElement> TraceWhereAsync(InsightsHost insights, string status, string method, Func<IReadOnlyList<JsonElement>, bool> complete)
    {
        JsonElement? found = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                var list = await insights.Http.GetJsonAsync($"/api/traces?status={status}&method={method}");
                foreach (var summary in list.Items("traces"))
                {
                    var trace = await insights.Http.GetJsonAsync($"/api/traces/{summary.Str("traceId")}");
                    if (complete([.. trace.Items("spans")]))
                    {
                        found = trace;
                        return true;
                    }
                }

                return false;
            },
            done => done,
            $"a {status} {method} trace with all its spans");
        return found!.Value;
    }

    /// <summary>The standard OTEL_* variables that send a process's telemetry to the insights quickly, every span sampled.</summary>
    internal static Dictionary<string, string> Otel(InsightsHost insights, string service, string instance) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = insights.OtlpGrpcUrl.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["OTEL_SERVICE_NAME"] = service,
        ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance}",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["OTEL_TRACES_SAMPLER"] = "always_on",
    };
}
