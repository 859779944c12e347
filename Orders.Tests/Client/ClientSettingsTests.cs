using OrdersAspire.TestHarness;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Client;

/// <summary>
/// The client, as built, with a bad <c>Orders:Client:DefaultDeadline</c>: one line naming the key and what it accepts,
/// exit 2 (a usage error), no stack trace, and no call made.
/// </summary>
[Requires(Need.Process)]
public sealed class ClientSettingsTests
{
    [Theory]
    [InlineData("soon", "Orders:Client:DefaultDeadline: 'soon' is not a duration (use e.g. 250ms, 5s, 1m, 1h).")]
    [InlineData("0s", "Orders:Client:DefaultDeadline: '0s' must be longer than zero.")]
    [InlineData("25h", "Orders:Client:DefaultDeadline: '25h' must be at most a day (24h).")]
    public async Task ABadDefaultDeadlineIsOneLineNamingItAndWhatItAccepts_Exit2(string value, string line)
    {
        // Nothing listens on the address: a call made anyway would end UNAVAILABLE (exit 78), not 2.
        var run = await AppRun.RunAsync("Orders.Client", new Dictionary<string, string?> { ["Orders:Client:DefaultDeadline"] = value },
            "get", "101", "--address", $"http://127.0.0.1:{FreePort.Next()}");

        AppRun.AssertRefusedWithOneLine(run, 2, line);
    }

    [Fact]
    public async Task AMistypedKeyIsOneLineNamingTheSettingItMeant_Exit2()
    {
        var run = await AppRun.RunAsync("Orders.Client", new Dictionary<string, string?> { ["Orders:Client:DefaultDeadlin"] = "5s" },
            "get", "101", "--address", $"http://127.0.0.1:{FreePort.Next()}");

        AppRun.AssertRefusedWithOneLine(run, 2, "Orders:Client:DefaultDeadlin is not a setting; did you mean Orders:Client:DefaultDeadline?");
    }
}
