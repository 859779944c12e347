using Microsoft.Playwright;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// A browser app on another origin exporting OTLP/JSON, as the JavaScript web SDK does: allowed only for the origins
/// in Insights:Otlp:Cors:AllowedOrigins (what the insights answer to the browser's requests: <see cref="OtlpCorsPolicyTests"/>).
/// </summary>
[Collection(InsightsServersDefinition.Name)]
[Requires(Need.Chromium)]
public sealed class OtlpBrowserCorsTests : ChromiumTest
{
    [Fact]
    public async Task ChromiumExportsFromAnAllowedOriginAndIsBlockedFromOthers()
    {
        // The insights' own UI port is a different origin from its OTLP/HTTP port: the page plays the browser app.
        await using var allowed = await InsightsHost.StartAsync();
        await using var insights = await InsightsHost.StartAsync($"Insights:Otlp:Cors:AllowedOrigins={Origin(allowed.FrontendUrl)}");
        var page = await Chromium.OpenAsync(Browser, allowed.FrontendUrl, "/api/status");

        Assert.Equal(200, await ExportFromPageAsync(page, insights.OtlpHttpUrl, apiKey: null));
        var trace = await insights.Http.GetJsonAsync($"/api/traces/{OtlpCorsPolicyTests.BrowserTraceId}");
        Assert.Equal("web-shop", Assert.Single(trace.Items("spans")).Str("service"));

        // Same page, insights that list no origin: the browser refuses to hand over the response.
        await using var closed = await InsightsHost.StartAsync();
        var blocked = await Assert.ThrowsAsync<PlaywrightException>(() => ExportFromPageAsync(page, closed.OtlpHttpUrl, apiKey: null));
        Assert.Contains("Failed to fetch", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(0, closed.Store.Traces.Count);
    }

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);

    // fetch() as the web SDK's exporter calls it; a CORS refusal surfaces as a rejected promise.
    private static Task<int> ExportFromPageAsync(IPage page, Uri otlpHttp, string? apiKey) =>
        page.EvaluateAsync<int>("""
            async ([url, body, key]) => {
              const headers = { 'content-type': 'application/json' };
              if (key) headers['x-otlp-api-key'] = key;
              const response = await fetch(url, { method: 'POST', headers, body });
              return response.status;
            }
            """, new object?[] { new Uri(otlpHttp, "/v1/traces").ToString(), OtlpCorsPolicyTests.BrowserSpanJson, apiKey });
}
