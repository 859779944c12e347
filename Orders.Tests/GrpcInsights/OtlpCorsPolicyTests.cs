using System.Net;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// What the insights answer a browser app on another origin, header by header (the browser acts on these answers:
/// <see cref="OtlpBrowserCorsTests"/>): Insights:Otlp:Cors:AllowedOrigins lists the origins or "*",
/// Insights:Otlp:Cors:AllowedHeaders the request headers (unset or "*": any), only POST is allowed, and with no origins
/// listed there is no CORS at all. The preflight needs no API key, the export itself still does.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class OtlpCorsPolicyTests
{
    public const string BrowserTraceId = "0af7651916cd43dd8448eb211c80319c";

    public const string BrowserSpanJson = $$$"""
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web-shop"}}]},
          "scopeSpans":[{"spans":[{"traceId":"{{{BrowserTraceId}}}","spanId":"b7ad6b7169203331","name":"checkout click","kind":1,
            "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000050000000"}]}]}]}
        """;

    private const string ApiKey = "cors-key-1234";
    private const string Shop = "http://shop.example:8080";

    [Fact]
    public async Task PreflightNeedsNoKeyAndARefusedExportIsReadableByThePage()
    {
        await using var insights = await InsightsHost.StartAsync(
            $"Insights:Otlp:Cors:AllowedOrigins=http://other.example,, {Shop} ", $"Insights:Otlp:PrimaryApiKey={ApiKey}");
        using var http = new HttpClient { BaseAddress = insights.OtlpHttpUrl };

        using var preflight = await http.SendAsync(Preflight(Shop));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal((Shop, "POST"), (Header(preflight, "Access-Control-Allow-Origin"), Header(preflight, "Access-Control-Allow-Methods")));

        using var stranger = await http.SendAsync(Preflight("http://evil.example"));
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));

        using var refused = await http.SendAsync(Export(Shop, apiKey: null));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(Shop, Header(refused, "Access-Control-Allow-Origin"));

        using var accepted = await http.SendAsync(Export(Shop, ApiKey));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(Shop, Header(accepted, "Access-Control-Allow-Origin"));
        Assert.Equal(1, insights.Store.Traces.Count);
    }

    [Fact]
    public async Task AStarAmongTheOriginsAllowsAnyOriginAndAnyHeader()
    {
        await using var insights = await InsightsHost.StartAsync("Insights:Otlp:Cors:AllowedOrigins=http://other.example, *",
            "Insights:Otlp:Cors:AllowedHeaders=x-otlp-api-key, *");
        using var http = new HttpClient { BaseAddress = insights.OtlpHttpUrl };

        using var preflight = await http.SendAsync(Preflight(Shop, "content-type,x-custom"));

        Assert.Equal(("*", "content-type,x-custom"), (Header(preflight, "Access-Control-Allow-Origin"), Header(preflight, "Access-Control-Allow-Headers")));
    }

    [Theory]
    [InlineData(null, "content-type,x-custom")]
    [InlineData("x-otlp-api-key, content-type", "x-otlp-api-key,content-type")]
    public async Task AllowedHeadersAreTheListedOnesOrAnyWhenUnset(string? allowedHeaders, string answered)
    {
        string[] settings = [$"Insights:Otlp:Cors:AllowedOrigins={Shop}", .. allowedHeaders is null ? [] : new[] { $"Insights:Otlp:Cors:AllowedHeaders={allowedHeaders}" }];
        await using var insights = await InsightsHost.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = insights.OtlpHttpUrl };

        using var preflight = await http.SendAsync(Preflight(Shop, "content-type,x-custom"));

        Assert.Equal((Shop, answered), (Header(preflight, "Access-Control-Allow-Origin"), Header(preflight, "Access-Control-Allow-Headers")));
    }

    [Fact]
    public async Task WithNoOriginsListedThereIsNoCors()
    {
        await using var insights = await InsightsHost.StartAsync();
        using var http = new HttpClient { BaseAddress = insights.OtlpHttpUrl };

        using var preflight = await http.SendAsync(Preflight(Shop));
        using var export = await http.SendAsync(Export(Shop, apiKey: null));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK), (preflight.StatusCode, export.StatusCode));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin") || export.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin, string requestHeaders = "content-type,x-otlp-api-key")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/traces");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", requestHeaders);
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

    private static string Header(HttpResponseMessage response, string name) => string.Join(",", response.Headers.GetValues(name));
}
