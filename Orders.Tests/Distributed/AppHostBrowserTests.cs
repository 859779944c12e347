using Microsoft.Playwright;
using Orders.Tests.GrpcInsights;
using Orders.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Orders.Tests.Distributed;

/// <summary>The dashboard under the AppHost as a user sees it: live resources with console logs and commands, and a traced deadline.</summary>
[Collection(AppHostRun.Name)]
public sealed class AppHostBrowserTests(AppHostFixture fixture) : ChromiumTest
{
    [Fact]
    public async Task ResourcesPageShowsOrdersApiRunningWithItsConsoleLog()
    {
        var page = await OpenAsync("/resources");

        var api = page.Locator("tr[data-resource='orders-api']");
        await Expect(api.Locator("td .badge").First).ToHaveTextAsync("Running");
        foreach (var replica in fixture.Api)
        {
            var row = api.Locator($"li[data-replica='{replica.Id}']");
            await Expect(row.Locator(".badge")).ToHaveTextAsync("Running");
            await Expect(row).ToContainTextAsync($"pid {replica.Pid}");
            await Expect(row).ToContainTextAsync("started ");
        }

        var console = page.Locator("tr[data-console-for='orders-api']");
        await console.Locator("summary", new() { HasText = "Console log of orders-api" }).ClickAsync();
        await Expect(console.Locator("pre.console")).ToContainTextAsync("ecommerce.OrderManagement/");
        await SaveScreenshotAsync(page, "apphost-resources.png");
    }

    [Fact]
    public async Task RestartButtonReplacesTheClientProcess()
    {
        var before = fixture.AppHost.Replicas.Single(r => r.Resource == "orders-client");
        var page = await OpenAsync("/resources");

        await page.Locator("tr[data-resource='orders-client'] button", new() { HasText = "restart" }).ClickAsync();

        var after = await fixture.AppHost.WaitForReplicaAsync(r => r.Id == before.Id && r.Pid != before.Pid && r.State == "Running", "orders-client restarted");
        await Expect(page.Locator("tr[data-resource='orders-client']")).ToContainTextAsync($"pid {after.Pid}");
    }

    [Fact]
    public async Task StopAndStartButtonsFollowTheClientsState()
    {
        var page = await OpenAsync("/resources");
        var client = page.Locator("tr[data-resource='orders-client']");
        await Expect(client.Locator("button")).ToHaveTextAsync(["stop", "restart"]);

        await page.GetByRole(AriaRole.Button, new() { Name = "stop orders-client", Exact = true }).ClickAsync();
        await Expect(client.Locator("td .badge").First).ToHaveTextAsync("Exited");
        await Expect(client.Locator("button")).ToHaveTextAsync(["start"]);

        await page.GetByRole(AriaRole.Button, new() { Name = "start orders-client", Exact = true }).ClickAsync();
        await Expect(client.Locator("td .badge").First).ToHaveTextAsync("Running");
        await Expect(client.Locator("button")).ToHaveTextAsync(["stop", "restart"]);
    }

    [Fact]
    public async Task DeadlineExceededTraceShowsClientAndServerSpans()
    {
        var trace = await fixture.StepTraceAsync("DEADLINE_EXCEEDED", "getOrder");
        var page = await OpenAsync($"/traces/{trace.GetProperty("summary").Str("traceId")}");

        await Expect(page.Locator("main")).ToContainTextAsync("DEADLINE_EXCEEDED");
        await Expect(page.Locator("main")).ToContainTextAsync("orders-client");
        await Expect(page.Locator("main")).ToContainTextAsync("orders-api");
        await SaveScreenshotAsync(page, "dashboard-deadline-exceeded.png");
    }

    private Task<IPage> OpenAsync(string path) => Chromium.OpenAsync(Browser, fixture.Ports.DashboardUrl, path);

    // Kept with the test artifacts; copied to docs/images for the README only when asked
    // (ORDERS_UPDATE_DOCS_SCREENSHOTS=1), so a test run never rewrites tracked files.
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        await DashboardBrowserFixture.ScreenshotAsync(page, name);
        if (Environment.GetEnvironmentVariable("ORDERS_UPDATE_DOCS_SCREENSHOTS") != "1")
        {
            return;
        }

        var docs = Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "docs", "images"));
        File.Copy(Path.Combine(DashboardBrowserFixture.ScreenshotDirectory, name), Path.Combine(docs.FullName, name), overwrite: true);
    }
}
