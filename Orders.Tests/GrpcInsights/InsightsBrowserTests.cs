using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>The insights as a user sees them, in Debian's Chromium.</summary>
[Collection(InsightsServersDefinition.Name)]
[Requires(Need.Chromium)]
public sealed class InsightsBrowserTests(InsightsBrowserFixture fixture) : IClassFixture<InsightsBrowserFixture>
{
    [Fact]
    public async Task TracesPageListsTheCallsWithErrorsHighlighted()
    {
        var page = await fixture.OpenAsync("/traces");
        var rows = page.Locator("#traces > tbody > tr");
        await Expect(rows.First).ToBeVisibleAsync();
        Assert.True(await rows.CountAsync() >= 7);
        var deadlineRow = page.Locator($"#traces tr[data-trace-id='{fixture.DeadlineTraceId}']");
        await Expect(deadlineRow).ToHaveClassAsync("error");
        await Expect(deadlineRow).ToContainTextAsync("DEADLINE_EXCEEDED");
        await Expect(deadlineRow).ToContainTextAsync("orders-client");
        await Expect(deadlineRow).ToContainTextAsync("orders-api");
        await Expect(page.Locator(".banner.warning")).ToContainTextAsync("Unsecured");
        await Chromium.ScreenshotAsync(page, "traces.png");
    }

    [Fact]
    public async Task FilteringByDeadlineExceededNarrowsTheList()
    {
        var page = await fixture.OpenAsync("/traces");
        await Expect(page.Locator("#traces > tbody > tr").First).ToBeVisibleAsync();

        await page.GetByLabel("gRPC status").SelectOptionAsync("DEADLINE_EXCEEDED");

        var rows = page.Locator("#traces > tbody > tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-trace-id", fixture.DeadlineTraceId);
    }

    [Fact]
    public async Task OpeningATraceShowsTheWaterfallWithClientAboveServer()
    {
        var page = await fixture.OpenAsync("/traces");
        await page.Locator($"#traces tr[data-trace-id='{fixture.DeadlineTraceId}'] a").First.ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/traces/{fixture.DeadlineTraceId}$"));
        // One row per stored span, in tree order, each naming its span: an empty or partial waterfall fails here.
        var stored = fixture.Insights.Store.Traces.Get(fixture.DeadlineTraceId)!.Spans;
        Assert.Equal(2, stored.Count);
        var spans = page.Locator(".waterfall .wf-row[data-span-kind]");
        await Expect(spans).ToHaveCountAsync(stored.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            await Expect(spans.Nth(i)).ToHaveAttributeAsync("data-span-id", stored[i].Span.SpanId);
            await Expect(spans.Nth(i).Locator("button")).ToContainTextAsync("ecommerce.OrderManagement/addOrder");
        }

        await Expect(spans.Nth(0)).ToHaveAttributeAsync("data-span-kind", "Client");
        await Expect(spans.Nth(0)).ToHaveAttributeAsync("data-service", "orders-client");
        await Expect(spans.Nth(1)).ToHaveAttributeAsync("data-span-kind", "Server");
        await Expect(spans.Nth(1)).ToHaveAttributeAsync("data-service", "orders-api");

        await spans.Nth(1).Locator("button").ClickAsync();
        await Expect(page.Locator("#span-detail")).ToContainTextAsync("rpc.grpc.deadline_ms");
        await Expect(page.Locator("#span-detail")).ToContainTextAsync("rpc.cancelled");
        await Chromium.ScreenshotAsync(page, "trace-detail.png");
    }

    [Fact]
    public async Task LiveUpdateShowsANewCallWithoutReload()
    {
        var page = await fixture.OpenAsync("/traces");
        await Expect(page.Locator("#traces > tbody > tr").First).ToBeVisibleAsync();
        // A marker on the window object would vanish on any reload or navigation.
        await page.EvaluateAsync("() => window.liveMarker = 42");

        var method = "liveProbe" + Guid.NewGuid().ToString("N")[..6];
        var traceId = fixture.Emitter.EmitCall(new SampleCall(method, "OK"));

        await Expect(page.Locator($"#traces tr[data-trace-id='{traceId}']")).ToContainTextAsync(method, new() { Timeout = 10_000 });
        Assert.Equal(42, await page.EvaluateAsync<int>("() => window.liveMarker"));
    }

    [Fact]
    public async Task TelemetryContentIsShownAsTextNeverAsMarkup()
    {
        const string Evil = "<img src=x onerror=\"window.pwned=1\"><b id=\"injected\">bold</b>";
        var traceId = fixture.Emitter.EmitCall(new SampleCall("getOrder", "OK") { ExtraServerTags = new Dictionary<string, string> { ["evil"] = Evil } });

        var page = await fixture.OpenAsync($"/traces/{traceId}");
        await page.Locator(".waterfall .wf-row[data-span-kind='Server'] button").ClickAsync();

        await Expect(page.Locator("#span-detail")).ToContainTextAsync(Evil);
        await Expect(page.Locator("#injected")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));
    }

    [Fact]
    public async Task GrpcCallsPageShowsTheMatrixBudgetsAndWhereACancelledStreamStopped()
    {
        var page = await fixture.OpenAsync("/");
        var deadlineCell = page.Locator("#grpc-matrix td[data-method='ecommerce.OrderManagement/addOrder'][data-status='DEADLINE_EXCEEDED']");
        await Expect(deadlineCell.Locator(".count")).ToHaveTextAsync("1");
        await Expect(deadlineCell.Locator(".percentiles")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^p50 10\d ms · p95 10\d ms · p99 10\d ms$"));
        await Expect(page.Locator("#grpc-matrix td[data-method='ecommerce.OrderManagement/getOrder'][data-status='NOT_FOUND'] .count")).ToHaveTextAsync("1");

        var cancelled = page.Locator("#grpc-calls tr[data-status='CANCELLED']").First;
        await Expect(cancelled).ToContainTextAsync("duplex_streaming");
        await Expect(cancelled).ToContainTextAsync("at 3 recv / 1 sent");
        await Expect(cancelled).ToContainTextAsync("handler cancelled");
        var overBudget = page.Locator("#grpc-calls tr[data-status='DEADLINE_EXCEEDED']");
        await Expect(overBudget.Locator(".budget-cell")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"used 10\d ms of 100 ms budget"));
        await Expect(overBudget.Locator(".over-budget")).ToHaveTextAsync("over budget");
        await Expect(overBudget.Locator(".budget-used.over")).ToHaveCountAsync(1);
        var withinBudget = page.Locator("#grpc-calls tbody tr").Filter(new() { HasText = "searchOrders" });
        await Expect(withinBudget.Locator(".budget-cell")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"used 1\d ms of 10 s budget"));
        await Expect(withinBudget.Locator(".over-budget")).ToHaveCountAsync(0);
        // No Insights:AspireDashboard:Url here: no link to a dashboard that is not configured.
        await Expect(page.Locator("#grpc-calls a.aspire-link")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, "grpc-calls.png");
    }

    [Fact]
    public async Task SecuredInsightsLogInWithTheTokenLinkAndKeepTheSessionNotTheToken()
    {
        const string Token = "browser-login-token-0123456789";
        await using var secured = await InsightsHost.StartAsync("Insights:Frontend:AuthMode=BrowserToken", $"Insights:Frontend:BrowserToken={Token}");
        var page = await Chromium.OpenAsync(fixture.Browser, secured.FrontendUrl, "/traces");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login$"));

        await page.GotoAsync($"/login?t={Token}");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));
        await Expect(page.Locator("#grpc-matrix")).ToBeVisibleAsync();
        await page.GotoAsync("/traces");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/traces$"));

        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "OrdersAspire.GrpcInsights.Auth");
        Assert.True(cookie.HttpOnly);
        Assert.DoesNotContain(Token, Uri.UnescapeDataString(cookie.Value), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login$"));
        await page.GotoAsync("/traces");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login$"));
    }
}
