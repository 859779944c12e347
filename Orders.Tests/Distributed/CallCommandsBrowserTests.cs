using Microsoft.Playwright;
using Orders.Tests.GrpcInsights;
using Orders.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Orders.Tests.Distributed;

/// <summary>orders-client's call commands where a developer finds them: the actions menu of its row on the dashboard's Resources page.</summary>
[Collection(TwoReplicaAppRun.Name)]
[Requires(Need.Chromium | Need.AppHost)]
public sealed class CallCommandsBrowserTests(TwoReplicaApp fixture) : ChromiumTest
{
    private AspireApp Aspire => fixture.Aspire;

    [Fact]
    public async Task OrdersClientsActionsMenuInTheDashboardListsTheFourCallCommands()
    {
        var page = await Chromium.OpenAsync(Browser, Aspire.DashboardUrl, Aspire.LoginUrl.PathAndQuery);
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "orders-client" });
        await row.GetByTitle("Actions", new() { Exact = true }).ClickAsync();
        // The dashboard groups a resource's own commands in a submenu of its actions.
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Commands", Exact = true }).ClickAsync();

        foreach (var (_, displayName, _) in CallCommandsModelTests.Expected)
        {
            await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = displayName, Exact = true })).ToBeVisibleAsync();
        }

        await Chromium.ScreenshotAsync(page, "aspire-dashboard-commands.png");
    }
}
