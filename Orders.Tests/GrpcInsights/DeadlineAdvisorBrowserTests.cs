using Microsoft.Playwright;
using OpenTelemetry.Exporter;
using Orders.Tests.Infrastructure;
using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.TestHarness;
using static Microsoft.Playwright.Assertions;

namespace Orders.Tests.GrpcInsights;

/// <summary>The Advisor page in Debian's Chromium, over calls sent by the real OTLP exporter and one call from two hours ago.</summary>
[Collection(InsightsServersDefinition.Name)]
[Requires(Need.Chromium)]
public sealed class DeadlineAdvisorBrowserTests : ChromiumTest
{
    private const string Service = "ecommerce.OrderManagement";

    [Fact]
    public async Task TheAdvisorPage_ShowsEachMethodsSuggestionAndFlags_AndItsWindowLeavesOutOlderCalls_AndTheCallsPageEachCallsTransit()
    {
        await using var insights = await InsightsHost.StartAsync();
        using (var emitter = new OtlpTelemetryEmitter(insights.OtlpGrpcUrl, OtlpExportProtocol.Grpc))
        {
            // The emitter's caller waits 3 ms longer than its server works: getOrder's successes wait 8..47 ms, searchOrders' 13..37 ms.
            for (var ms = 5; ms < 45; ms++)
            {
                emitter.EmitCall(new SampleCall("getOrder", "OK", DeadlineMs: 248, ServerMs: ms) { ClientDeadlineMs = 250 });
            }

            for (var ms = 10; ms < 35; ms++)
            {
                emitter.EmitCall(new SampleCall("searchOrders", "OK", "server_streaming", DeadlineMs: 9_998, ServerMs: ms) { ClientDeadlineMs = 10_000, MessagesSent = 3 });
            }

            emitter.EmitCall(new SampleCall("getOrder", "DEADLINE_EXCEEDED", DeadlineMs: 248, ServerMs: 251) { ClientDeadlineMs = 250, HandlerCancelled = true });
            emitter.EmitCall(new SampleCall("getOrder", "DEADLINE_EXCEEDED", DeadlineMs: 248, ServerMs: 251) { ClientDeadlineMs = 250, HandlerCancelled = true });
            for (var i = 0; i < 5; i++)
            {
                emitter.EmitCall(new SampleCall("addOrder", "OK", ServerMs: 6 + i));
            }

            emitter.EmitCall(new SampleCall("processOrders", "DEADLINE_EXCEEDED", "duplex_streaming", DeadlineMs: 98, ServerMs: 400) { ClientDeadlineMs = 100 });
        }

        insights.Store.AddSpans(CallFromTwoHoursAgo());
        await Eventually.HoldsAsync(() => Task.FromResult(insights.Store.Traces.Calls(1000).Count(c => c.Client is not null && c.Server is not null)),
            count => count == 74, "the 74 calls with both sides");

        var page = await Chromium.OpenAsync(Browser, insights.FrontendUrl, "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Deadline advisor" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(insights.FrontendUrl, "/advisor").ToString());
        await Expect(page.Locator("#advice-window")).ToHaveValueAsync("all");
        await Expect(page.Locator("#advice tbody tr")).ToHaveCountAsync(5);

        // 47 × 1.5 = 70.5 → 71 ms; two of 42 calls ran out at 250 ms, so the p99 (254 ms) is past the deadline.
        var getOrder = Row(page, "getOrder");
        await Expect(getOrder.Locator("[data-figure=suggestion] strong")).ToHaveTextAsync("71 ms");
        await Expect(getOrder.Locator("[data-figure=deadlines]")).ToContainTextAsync("250 ms / 250 ms (client)");
        await Expect(getOrder.Locator("[data-figure=ran-out]")).ToHaveTextAsync("4.8 %");
        await Expect(getOrder.Locator("[data-flag]")).ToHaveTextAsync(["deadline below p99 — routinely runs out"]);
        // 37 × 1.5 = 55.5 → 56 ms; nothing to flag.
        var searchOrders = Row(page, "searchOrders");
        await Expect(searchOrders.Locator("[data-figure=suggestion] strong")).ToHaveTextAsync("56 ms");
        await Expect(searchOrders.Locator("[data-flag]")).ToHaveCountAsync(0);
        await Expect(searchOrders.Locator("[data-figure=transit]")).ToHaveTextAsync("1 ms / 1 ms");
        var addOrder = Row(page, "addOrder");
        await Expect(addOrder.Locator("[data-figure=suggestion] .rule")).ToHaveTextAsync("no suggestion: it needs 20 successful calls, the window has 5");
        await Expect(addOrder.Locator("[data-flag]")).ToHaveTextAsync(["no deadline set"]);
        await Expect(Row(page, "processOrders").Locator("[data-flag='server-ignores-cancellation']")).ToHaveTextAsync("server ignores cancellation");
        await Expect(Row(page, "deleteOrder")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(page, "grpc-insights-advisor.png");

        await page.Locator("#advice-window").SelectOptionAsync(AdviceWindow.OneHour.Name);
        await Expect(page.Locator("#advice tbody tr")).ToHaveCountAsync(4);
        await Expect(Row(page, "deleteOrder")).ToHaveCountAsync(0);

        // A window named in the address that the advisor does not know: the page says which it knows, and shows no figures.
        await page.GotoAsync("/advisor?window=2h");
        await Expect(page.Locator("#advice-error")).ToHaveTextAsync(AdviceWindow.Expected);
        await Expect(page.Locator("#advice tbody tr")).ToHaveCountAsync(0);

        // The calls page gives each call's figure; a call whose client span carries no budget has none.
        await page.GotoAsync("/");
        var searchCall = page.Locator("#grpc-calls tbody tr").Filter(new() { HasText = "searchOrders" }).First;
        await Expect(searchCall.Locator(".transit")).ToHaveTextAsync("1 ms spent before the server saw it");
        await Expect(page.Locator("#grpc-calls tbody tr").Filter(new() { HasText = "addOrder" }).Locator(".transit")).ToHaveCountAsync(0);
    }

    private static ILocator Row(IPage page, string method) => page.Locator($"#advice tr[data-method='{Service}/{method}']");

    /// <summary>A deleteOrder call stored directly, as received two hours ago: only the "all held" window has it.</summary>
    private static SpanData[] CallFromTwoHoursAgo()
    {
        var start = DateTime.UtcNow.AddHours(-2);
        SpanData Side(string spanId, string? parent, SpanKind kind, string service) => new()
        {
            TraceId = "0af7651916cd43dd8448eb211c80319c",
            SpanId = spanId,
            ParentSpanId = parent,
            Name = $"{Service}/deleteOrder",
            Kind = kind,
            Resource = new ResourceIdentity(service, service + "-1"),
            Start = start,
            End = start.AddMilliseconds(12),
            Attributes = [new("rpc.system", "grpc"), new("rpc.service", Service), new("rpc.method", "deleteOrder"), new("rpc.grpc.status_code", "0")],
        };

        return [Side("b7ad6b7169203331", null, SpanKind.Client, "orders-client"), Side("00f067aa0ba902b7", "b7ad6b7169203331", SpanKind.Server, "orders-api")];
    }
}
