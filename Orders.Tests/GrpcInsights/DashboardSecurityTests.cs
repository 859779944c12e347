using System.Net;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Security;
using Microsoft.Extensions.Configuration;

namespace Orders.Tests.GrpcInsights;

/// <summary>Secure by default beyond loopback: browser token for the UI, API key for OTLP.</summary>
[Collection(DashboardServersDefinition.Name)]
public sealed class DashboardSecurityTests
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
        var error = Assert.Throws<InvalidOperationException>(() =>
            Security(new Dictionary<string, string?> { [DashboardEndpoints.OtlpGrpcUrlKey] = "http://0.0.0.0:18889" }));
        Assert.Contains("PrimaryApiKey", error.Message, StringComparison.Ordinal);

        var secured = Security(new Dictionary<string, string?>
        {
            [DashboardEndpoints.OtlpGrpcUrlKey] = "http://0.0.0.0:18889",
            ["Dashboard:Otlp:PrimaryApiKey"] = "k",
        });
        Assert.Equal(OtlpAuthMode.ApiKey, secured.OtlpAuthMode);
        Assert.True(secured.IsValidApiKey("k"));
        Assert.False(secured.IsValidApiKey("K"));
    }

    [Fact]
    public async Task SecuredFrontendNeedsTheSessionCookieOrBearer()
    {
        await using var dashboard = await DashboardHost.StartAsync("Dashboard:Frontend:AuthMode=BrowserToken", "Dashboard:Frontend:BrowserToken=let-me-in");
        using var anonymous = await dashboard.Http.GetAsync(new Uri("/api/traces", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = dashboard.FrontendUrl };
        using var page = await noRedirect.GetAsync(new Uri("/traces", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", page.Headers.Location?.OriginalString);

        using var badLogin = await noRedirect.GetAsync(new Uri("/login?t=wrong", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, badLogin.StatusCode);

        using var cookies = new HttpClient(new HttpClientHandler()) { BaseAddress = dashboard.FrontendUrl };
        using var login = await cookies.GetAsync(new Uri("/login?t=let-me-in", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var afterLogin = await cookies.GetAsync(new Uri("/api/traces", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, afterLogin.StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/traces", UriKind.Relative));
        bearer.Headers.Authorization = new("Bearer", "let-me-in");
        using var withBearer = await dashboard.Http.SendAsync(bearer);
        Assert.Equal(HttpStatusCode.OK, withBearer.StatusCode);
    }

    private static DashboardSecurity Security(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        return new DashboardSecurity(options, DashboardEndpoints.FromConfiguration(configuration), allowAnonymous: false);
    }
}
