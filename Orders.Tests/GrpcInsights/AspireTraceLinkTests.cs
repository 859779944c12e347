using OpenTelemetry.Exporter;
using static Microsoft.Playwright.Assertions;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>With Insights:AspireDashboard:Url set, every call and trace links to the same trace in the Aspire dashboard.</summary>
[Collection(InsightsServersDefinition.Name)]
[Requires(Need.Chromium)]
public sealed class AspireTraceLinkTests : ChromiumTest
{
    private const string AspireUrl = "http://127.0.0.1:15888/";

    [Fact]
    public async Task CallsAndTracesLinkToTheTraceDetailPageOfTheAspireDashboard()
    {
        await using var insights = await InsightsHost.StartAsync($"Insights:AspireDashboard:Url={AspireUrl}");
        string traceId;
        using (var emitter = new OtlpTelemetryEmitter(insights.OtlpGrpcUrl, OtlpExportProtocol.Grpc))
        {
            traceId = emitter.EmitCall(new SampleCall("getOrder", "NOT_FOUND", DeadlineMs: 250, ServerMs: 4));
        }

        var expected = $"http://127.0.0.1:15888/traces/detail/{traceId}";
        var calls = await Eventually.HoldsAsync(() => insights.Http.GetJsonAsync("/api/grpc/calls"),
            json => json.EnumerateArray().Any(c => c.Str("traceId") == traceId && c.Str("clientSpanId") != ""), "the call with both sides");
        Assert.Equal(expected, calls.EnumerateArray().Single(c => c.Str("traceId") == traceId).Str("aspireTraceUrl"));
        var traces = await insights.Http.GetJsonAsync("/api/traces?status=NOT_FOUND");
        Assert.Equal(expected, Assert.Single(traces.Items("traces")).Str("aspireTraceUrl"));
        var trace = await insights.Http.GetJsonAsync($"/api/traces/{traceId}");
        Assert.Equal(expected, trace.GetProperty("summary").Str("aspireTraceUrl"));

        var page = await Chromium.OpenAsync(Browser, insights.FrontendUrl, "/");
        await Expect(page.Locator("#grpc-calls tr[data-status='NOT_FOUND'] a.aspire-link")).ToHaveAttributeAsync("href", expected);
        await page.GotoAsync("/traces");
        await Expect(page.Locator($"#traces tr[data-trace-id='{traceId}'] a.aspire-link")).ToHaveAttributeAsync("href", expected);
        await page.GotoAsync($"/traces/{traceId}");
        await Expect(page.Locator("dl.facts a.aspire-link")).ToHaveAttributeAsync("href", expected);
        await Expect(page.Locator("#grpc-calls a.aspire-link")).ToHaveAttributeAsync("href", expected);
    }
}
