using Microsoft.Playwright;

namespace Orders.Tests.Infrastructure;

/// <summary>Headless Debian Chromium under Playwright — never a downloaded browser.</summary>
public static class DebianChromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        Timeout = 60_000,
    });
}
