using Microsoft.Playwright;

namespace Orders.Tests.GrpcInsights;

/// <summary>Debian's Chromium under Playwright: headless, sandbox-free for containers, no background traffic, never a download.</summary>
public static class Chromium
{
    /// <summary>Where every browser test's screenshots go: the test output's artifacts folder (or ORDERS_TEST_ARTIFACTS).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("ORDERS_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts"), "screenshots");

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        Timeout = 60_000,
    });

    /// <summary>A page of its own context on <paramref name="baseUrl"/>, with bounded waits.</summary>
    public static async Task<IPage> OpenAsync(IBrowser browser, Uri baseUrl, string path)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        return page;
    }

    /// <summary>
    /// A screenshot of <paramref name="page"/>, the whole page or only what the window shows (a live list that grows
    /// with the run), saved as <paramref name="name"/> in <see cref="ScreenshotDirectory"/>; returns its path.
    /// </summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name);
        // A long page on a loaded machine can take longer than Playwright's 15 s default to paint.
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Timeout = 60_000 });
        return path;
    }
}

/// <summary>A test class that drives Chromium: the browser is launched before its tests and closed after them.</summary>
public abstract class ChromiumTest : IAsyncLifetime
{
    private IPlaywright? playwright;

    protected IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(playwright);
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright?.Dispose();
    }
}
