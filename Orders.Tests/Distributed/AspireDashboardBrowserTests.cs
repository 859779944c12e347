using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using Orders.Tests.GrpcInsights;
using static Microsoft.Playwright.Assertions;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>The running app seen through a browser: the real Aspire dashboard's trace view and the gRPC insights that link to it.</summary>
[Collection(TwoReplicaAppRun.Name)]
[Requires(Need.Chromium | Need.AppHost)]
public sealed class AspireDashboardBrowserTests(TwoReplicaApp fixture) : ChromiumTest
{
    private AspireApp Aspire => fixture.Aspire;

    [Fact]
    public async Task TheAspireDashboardShowsADeadlineExceededTraceWithTheClientAndServerSpans()
    {
        // The browser token logs in once; the dashboard then sends the browser on to its resources page.
        var page = await Chromium.OpenAsync(Browser, Aspire.DashboardUrl, Aspire.LoginUrl.PathAndQuery);
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));

        var spans = await Eventually.HoldsAsync(
            () => Aspire.Telemetry.RecentSpansAsync(),
            all => DashboardTracesTests.CompleteTraces(all, "DEADLINE_EXCEEDED", "getOrder").Any(),
            "a getOrder DEADLINE_EXCEEDED trace with the client and server calls");
        var traceId = DashboardTracesTests.CompleteTraces(spans, "DEADLINE_EXCEEDED", "getOrder").First()[0].TraceId;

        await page.GotoAsync($"/traces/detail/{traceId}");
        var main = page.Locator("main").First;
        // Both resources' spans; a replica's resource name is "orders-api-<suffix>".
        await Expect(main).ToContainTextAsync("orders-client", new() { Timeout = 15_000 });
        await Expect(main).ToContainTextAsync("orders-api");
        // Aspire names a gRPC client span after the call and its status code; the server span after the call alone.
        await Expect(main.GetByText("RPC ecommerce.OrderManagement/getOrder DeadlineExceeded", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(main.GetByText("ecommerce.OrderManagement/getOrder", new() { Exact = true })).ToBeVisibleAsync();
        // One server span per call: ASP.NET Core's request span is that span, so no HTTP-named row sits above it.
        await Expect(main.GetByText("POST /ecommerce.OrderManagement/getOrder")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, "aspire-dashboard-deadline-exceeded.png");
    }

    [Fact]
    public async Task TheGrpcInsightsShowTheDeadlineExceededCallsAndLinkToTheAspireDashboardsTrace()
    {
        var page = await Chromium.OpenAsync(Browser, Aspire.App.GetEndpoint("grpc-insights", "http"), "/");

        // The insights read the dashboard's telemetry API and update the page live.
        await Expect(page.Locator("#grpc-matrix td[data-method$='/getOrder'][data-status='DEADLINE_EXCEEDED'] .count"))
            .ToHaveTextAsync(new Regex(@"^[1-9]\d*$"), new() { Timeout = 60_000 });
        var link = page.Locator("#grpc-calls tr[data-status='DEADLINE_EXCEEDED'] a.aspire-link").First;
        await Expect(link).ToHaveAttributeAsync("href", new Regex($"^{Regex.Escape(Aspire.DashboardUrl.ToString().TrimEnd('/'))}/traces/detail/[0-9a-f]{{32}}$"));
        await Chromium.ScreenshotAsync(page, "grpc-insights.png", fullPage: false);
    }

    [Fact]
    public async Task TheGrpcInsightsAdviseOnGetOrder_FromTheDeadlinesTheClientSet_WithTheBudgetSpentBeforeTheServerSawIt()
    {
        var page = await Chromium.OpenAsync(Browser, Aspire.App.GetEndpoint("grpc-insights", "http"), "/advisor");

        // Orders.Client's spans carry the budget each call was given; with the server's span, the part spent on the way.
        var getOrder = page.Locator("#advice tr[data-method$='/getOrder']");
        await Expect(getOrder.Locator("[data-figure=deadlines]")).ToContainTextAsync("(client)", new() { Timeout = 60_000 });
        await Expect(getOrder.Locator("[data-figure=transit]")).ToHaveTextAsync(new Regex(@"^[\d.]+ (µs|ms|s) / [\d.]+ (µs|ms|s)$"));
        await Chromium.ScreenshotAsync(page, "grpc-insights-advisor-apphost.png");
    }
}
