using System.Net;
using Microsoft.Playwright;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// A browser app on another origin exporting OTLP/JSON, as the JavaScript web SDK does: allowed only for the origins
/// in Insights:Otlp:Cors:AllowedOrigins; the preflight needs no API key, the export itself still does.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
[Requires(Need.Chromium)]
public sealed class OtlpBrowserCorsTests : ChromiumTest
{
    private const string ApiKey = "cors-key-1234";

    [Fact]
    public async Task ChromiumExportsFromAnAllowedOriginAndIsBlockedFromOthers()
    {
        // The insights' own UI port is a different origin from its OTLP/HTTP port: the page plays the browser app.
        await using var allowed = await InsightsHost.StartAsync();
        await using var insights = await InsightsHost.StartAsync($"Insights:Otlp:Cors:AllowedOrigins={Origin(allowed.FrontendUrl)}");
        var page = await Chromium.OpenAsync(Browser, allowed.FrontendUrl, "/api/status");

        Assert.Equal(200, await ExportFromPageAsync(page, insights.OtlpHttpUrl, apiKey: null));
        var trace = await insights.Http.GetJsonAsync($"/api/traces/{BrowserTraceId}");
        Assert.Equal("web-shop", Assert.Single(trace.Items("spans")).Str("service"));

        // Same page, insights that list no origin: the browser refuses to hand over the response.
        await using var closed = await InsightsHost.StartAsync();
        var blocked = await Assert.ThrowsAsync<PlaywrightException>(() => ExportFromPageAsync(page, closed.OtlpHttpUrl, apiKey: null));
        Assert.Contains("Failed to fetch", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(0, closed.Store.Traces.Count);
    }

    [Fact]
    public async Task PreflightNeedsNoKeyAndARefusedExportIsReadableByThePage()
    {
        var origin = "http://shop.example:8080";
        await using var insights = await InsightsHost.StartAsync(
            $"Insights:Otlp:Cors:AllowedOrigins=http://other.example, {origin}", $"Insights:Otlp:PrimaryApiKey={ApiKey}");
        using var http = new HttpClient { BaseAddress = insights.OtlpHttpUrl };

        using var preflight = await http.SendAsync(Preflight(origin));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(origin, Single(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal("POST", Single(preflight, "Access-Control-Allow-Methods"));

        using var stranger = await http.SendAsync(Preflight("http://evil.example"));
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));

        using var refused = await http.SendAsync(Export(origin, apiKey: null));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(origin, Single(refused, "Access-Control-Allow-Origin"));

        using var accepted = await http.SendAsync(Export(origin, ApiKey));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(origin, Single(accepted, "Access-Control-Allow-Origin"));
        Assert.Equal(1, insights.Store.Traces.Count);
    }

    private const string BrowserTraceId = "0af7651916cd43dd8448eb211c80319c";

    private const string BrowserSpanJson = $$$"""
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web-shop"}}]},
          "scopeSpans":[{"spans":[{"traceId":"{{{BrowserTraceId}}}","spanId":"b7ad6b7169203331","name":"checkout click","kind":1,
            "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000050000000"}]}]}]}
        """;

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
            """, new object?[] { new Uri(otlpHttp, "/v1/traces").ToString(), BrowserSpanJson, apiKey });

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/traces");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-otlp-api-key");
        return request;
    }

    private static HttpRequestMessage Export(string origin, string? apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces")
        {
            Content = new StringContent(BrowserSpanJson, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin);
        if (apiKey is not null)
        {
            request.Headers.Add("x-otlp-api-key", apiKey);
        }

        return request;
    }

    private static string Single(HttpResponseMessage response, string header) => Assert.Single(response.Headers.GetValues(header));
}
