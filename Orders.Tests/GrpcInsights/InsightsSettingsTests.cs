using Orders.Tests.Infrastructure;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The gRPC insights, as built, started with one bad value of each of their limits' sections: one line naming the key
/// and the range it accepts, exit 2, no stack trace, before any port is opened.
/// </summary>
public sealed class InsightsSettingsTests
{
    [Theory]
    [InlineData("Dashboard:TelemetryLimits:MaxTraceCount", "0", "OrdersAspire.GrpcInsights: Dashboard:TelemetryLimits:MaxTraceCount must be between 1 and 2147483647.")]
    [InlineData("Dashboard:TelemetryLimits:MaxStoreBytes", "-5", "OrdersAspire.GrpcInsights: Dashboard:TelemetryLimits:MaxStoreBytes must be between 1 and 9223372036854775807.")]
    [InlineData("Dashboard:Otlp:ExportQueueTimeout", "00:02:00", "OrdersAspire.GrpcInsights: Dashboard:Otlp:ExportQueueTimeout must be between 00:00:00 and 00:01:00.")]
    [InlineData("Dashboard:Otlp:MaxRequestBodySize", "big", "OrdersAspire.GrpcInsights: Dashboard:Otlp:MaxRequestBodySize: 'big' is not a whole number.")]
    [InlineData("Dashboard:Otlp:AuthMode", "ApiKey", "OrdersAspire.GrpcInsights: Dashboard:Otlp:AuthMode is ApiKey but Dashboard:Otlp:PrimaryApiKey is not set.")]
    [InlineData("Dashboard:Frontend:AuthMode", "Password", "OrdersAspire.GrpcInsights: Dashboard:Frontend:AuthMode: 'Password' is not one of Unsecured, BrowserToken.")]
    public async Task ABadSettingIsOneLineNamingItAndWhatItAccepts_Exit2(string key, string value, string line)
    {
        var run = await AppRun.RunAsync("OrdersAspire.GrpcInsights", new Dictionary<string, string?> { [key] = value }, "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        AppRun.AssertRefusedWithOneLine(run, 2, line);
    }
}
