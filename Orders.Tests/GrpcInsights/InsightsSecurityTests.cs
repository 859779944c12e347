using System.Net;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>Secure by default beyond loopback: browser token for the UI, API key for OTLP.</summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class InsightsSecurityTests
{
    [Fact]
    public void LoopbackDefaultsAreUnsecuredAndSaySo()
    {
        var security = Security(new Dictionary<string, string?>());
        Assert.Equal(FrontendAuthMode.Unsecured, security.FrontendAuthMode);
        Assert.Equal(OtlpAuthMode.Unsecured, security.OtlpAuthMode);
        Assert.True(security.IsUnsecured);
    }

    [Fact]
    public void PublicFrontendRequiresABrowserToken()
    {
        var security = Security(new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:18888" });
        Assert.Equal(FrontendAuthMode.BrowserToken, security.FrontendAuthMode);
        Assert.Equal(32, security.BrowserToken.Length);
        Assert.True(security.IsValidBrowserToken(security.BrowserToken));
        Assert.False(security.IsValidBrowserToken("guess"));
    }

    [Fact]
    public void PublicOtlpWithoutApiKeyRefusesToStart()
    {
        var error = Assert.Throws<BadSettingException>(() =>
            Security(new Dictionary<string, string?> { [InsightsEndpoints.OtlpGrpcUrlKey] = "http://0.0.0.0:18889" }));
        Assert.Contains("PrimaryApiKey", error.Message, StringComparison.Ordinal);

        var secured = Security(new Dictionary<string, string?>
        {
            [InsightsEndpoints.OtlpGrpcUrlKey] = "http://0.0.0.0:18889",
            ["Insights:Otlp:PrimaryApiKey"] = "k",
        });
        Assert.Equal(OtlpAuthMode.ApiKey, secured.OtlpAuthMode);
        Assert.True(secured.IsValidApiKey("k"));
        Assert.False(secured.IsValidApiKey("K"));
    }

    [Fact]
    public async Task SecuredFrontendNeedsTheSessionCookieOrBearer()
    {
        await using var insights = await InsightsHost.StartAsync("Insights:Frontend:AuthMode=BrowserToken", "Insights:Frontend:BrowserToken=let-me-in");
        using var anonymous = await insights.Http.GetAsync(new Uri("/api/traces", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = insights.FrontendUrl };
        using var page = await noRedirect.GetAsync(new Uri("/traces", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", page.Headers.Location?.OriginalString);

        using var badLogin = await noRedirect.GetAsync(new Uri("/login?t=wrong", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, badLogin.StatusCode);

        using var cookies = new HttpClient(new HttpClientHandler()) { BaseAddress = insights.FrontendUrl };
        using var login = await cookies.GetAsync(new Uri("/login?t=let-me-in", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var afterLogin = await cookies.GetAsync(new Uri("/api/traces", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, afterLogin.StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/traces", UriKind.Relative));
        bearer.Headers.Authorization = new("Bearer", "let-me-in");
        using var withBearer = await insights.Http.SendAsync(bearer);
        Assert.Equal(HttpStatusCode.OK, withBearer.StatusCode);
    }

    private static InsightsSecurity Security(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(InsightsOptions.SectionName).Get<InsightsOptions>() ?? new InsightsOptions();
        return new InsightsSecurity(options, InsightsEndpoints.FromConfiguration(configuration), allowAnonymous: false);
    }
}
