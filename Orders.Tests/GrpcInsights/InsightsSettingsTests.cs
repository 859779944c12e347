using OrdersAspire.TestHarness;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The gRPC insights, as built, started with one bad value of each of their limits' sections: one line naming the key
/// and the range it accepts, exit 2, no stack trace, before any port is opened.
/// </summary>
[Requires(Need.Process)]
public sealed class InsightsSettingsTests
{
    [Theory]
    [InlineData("Insights:TelemetryLimits:MaxTraceCount", "0", "OrdersAspire.GrpcInsights: Insights:TelemetryLimits:MaxTraceCount must be between 1 and 2147483647.")]
    [InlineData("Insights:TelemetryLimits:MaxStoreBytes", "-5", "OrdersAspire.GrpcInsights: Insights:TelemetryLimits:MaxStoreBytes must be between 1 and 9223372036854775807.")]
    [InlineData("Insights:Otlp:ExportQueueTimeout", "00:02:00", "OrdersAspire.GrpcInsights: Insights:Otlp:ExportQueueTimeout must be between 00:00:00 and 00:01:00.")]
    [InlineData("Insights:Otlp:MaxRequestBodySize", "big", "OrdersAspire.GrpcInsights: Insights:Otlp:MaxRequestBodySize: 'big' is not a whole number.")]
    [InlineData("Insights:Otlp:AuthMode", "ApiKey", "OrdersAspire.GrpcInsights: Insights:Otlp:AuthMode is ApiKey but Insights:Otlp:PrimaryApiKey is not set.")]
    [InlineData("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "http://127.0.0.1:18x89", "OrdersAspire.GrpcInsights: ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL: 'http://127.0.0.1:18x89' is not an address to listen on: ':18x89' after the host is not ':' and a port from 0 to 65535 (e.g. http://127.0.0.1:5000).")]
    [InlineData("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "127.0.0.1:18890", "OrdersAspire.GrpcInsights: ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL: '127.0.0.1:18890' is not an address to listen on: it starts with no http:// or https:// (e.g. http://127.0.0.1:5000).")]
    [InlineData("Insights:Frontend:AuthMode", "Password", "OrdersAspire.GrpcInsights: Insights:Frontend:AuthMode: 'Password' is not one of Unsecured, BrowserToken.")]
    public async Task ABadSettingIsOneLineNamingItAndWhatItAccepts_Exit2(string key, string value, string line)
    {
        var run = await AppRun.RunAsync("OrdersAspire.GrpcInsights", new Dictionary<string, string?> { [key] = value }, "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        AppRun.AssertRefusedWithOneLine(run, 2, line);
    }

    /// <summary>A browser token still under the Aspire dashboard's section would be ignored: the start stops, naming the key but not the secret.</summary>
    [Fact]
    public async Task ASettingLeftInTheAspireDashboardsSectionIsOneLineNamingItsNewKey_Exit2()
    {
        var run = await AppRun.RunAsync("OrdersAspire.GrpcInsights", new Dictionary<string, string?> { ["Dashboard:Frontend:BrowserToken"] = "secret-token-value" },
            "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        AppRun.AssertRefusedWithOneLine(run, 2,
            "OrdersAspire.GrpcInsights: Dashboard:Frontend:BrowserToken is not read: the insights' settings are Insights:*, and Dashboard:* is the Aspire dashboard's; rename it Insights:Frontend:BrowserToken.");
        Assert.DoesNotContain("secret-token-value", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }
}
