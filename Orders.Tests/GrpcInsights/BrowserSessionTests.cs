using System.Net;
using System.Text;
using OrdersAspire.GrpcInsights.Security;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// Logging in with the browser token starts a session: the cookie holds a random session id (not the token, nor any
/// encoding of it), forged or stale ids are refused, and logout, expiry or a restart end the session.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class BrowserSessionTests
{
    private const string Token = "the-browser-token-0123456789abcdef";

    [Fact]
    public async Task TheCookieHoldsARandomSessionIdNotTheToken()
    {
        await using var insights = await SecuredAsync();
        var first = await LoginAsync(insights);
        var second = await LoginAsync(insights);

        Assert.NotEqual(first, second);
        foreach (var session in new[] { first, second })
        {
            Assert.Equal(43, session.Length);
            var tokenBytes = Encoding.UTF8.GetBytes(Token);
            foreach (var encoding in new[] { Token, Convert.ToBase64String(tokenBytes), Convert.ToBase64String(tokenBytes).TrimEnd('='),
                Convert.ToHexString(tokenBytes), Convert.ToHexStringLower(tokenBytes), Uri.EscapeDataString(Token) })
            {
                Assert.DoesNotContain(encoding[..16], Uri.UnescapeDataString(session), StringComparison.OrdinalIgnoreCase);
            }

            foreach (var path in new[] { "/api/traces", "/api/status", "/traces", "/" })
            {
                using var answer = await GetAsync(insights, path, session);
                Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{path}: {(int)answer.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task AForgedOrGuessedSessionCookieIsRefused()
    {
        await using var insights = await SecuredAsync();
        var session = await LoginAsync(insights);
        var altered = (session[0] == 'A' ? 'B' : 'A') + session[1..];
        var guessed = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        // The token itself was the cookie once; it is no session id.
        foreach (var forged in new[] { Token, altered, guessed, session + "x", "" })
        {
            using var api = await GetAsync(insights, "/api/traces", forged);
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
            using var page = await GetAsync(insights, "/traces", forged);
            Assert.Equal((HttpStatusCode.Redirect, "/login"), (page.StatusCode, page.Headers.Location?.OriginalString));
        }
    }

    [Fact]
    public async Task LogoutEndsTheSession()
    {
        await using var insights = await SecuredAsync();
        var session = await LoginAsync(insights);
        var other = await LoginAsync(insights);

        using var logout = await SendAsync(insights, HttpMethod.Post, BrowserTokenMiddleware.LogoutPath, session);
        Assert.Equal((HttpStatusCode.Redirect, "/login"), (logout.StatusCode, logout.Headers.Location?.OriginalString));
        Assert.Contains(logout.Headers.GetValues("Set-Cookie"), c => c.StartsWith(InsightsSecurity.AuthCookie + "=;", StringComparison.Ordinal));

        using var after = await GetAsync(insights, "/api/traces", session);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var otherSession = await GetAsync(insights, "/api/traces", other);
        Assert.Equal(HttpStatusCode.OK, otherSession.StatusCode);
    }

    [Fact]
    public async Task ARestartWithTheSameTokenEndsEverySession()
    {
        string session;
        await using (var before = await SecuredAsync())
        {
            session = await LoginAsync(before);
        }

        await using var after = await SecuredAsync();
        using var refused = await GetAsync(after, "/api/traces", session);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var again = await GetAsync(after, "/api/traces", await LoginAsync(after));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public void ASessionLastsItsLifetimeFromLogin()
    {
        var clock = new ManualClock();
        var sessions = new BrowserSessions(clock);
        var session = sessions.Start();

        clock.Now += BrowserSessions.Lifetime - TimeSpan.FromSeconds(1);
        Assert.True(sessions.IsValid(session));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.False(sessions.IsValid(session));
        Assert.Equal(0, sessions.Count);
    }

    [Fact]
    public void LoggingInAgainAndAgainKeepsAtMostMaxSessionsAndTheNewest()
    {
        var clock = new ManualClock();
        var sessions = new BrowserSessions(clock);
        var first = sessions.Start();
        clock.Now += TimeSpan.FromSeconds(1);
        var all = Enumerable.Range(0, BrowserSessions.MaxSessions + 10).Select(_ => sessions.Start()).ToList();

        Assert.Equal(BrowserSessions.MaxSessions, sessions.Count);
        Assert.False(sessions.IsValid(first));
        Assert.True(sessions.IsValid(all[^1]));
    }

    private static Task<InsightsHost> SecuredAsync() =>
        InsightsHost.StartAsync("Insights:Frontend:AuthMode=BrowserToken", $"Insights:Frontend:BrowserToken={Token}");

    /// <summary>Logs in with the token link; returns the session cookie's value.</summary>
    private static async Task<string> LoginAsync(InsightsHost insights)
    {
        using var login = await SendAsync(insights, HttpMethod.Get, $"/login?t={Token}", cookie: null);
        Assert.Equal((HttpStatusCode.Redirect, "/"), (login.StatusCode, login.Headers.Location?.OriginalString));
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(InsightsSecurity.AuthCookie + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        return setCookie[(InsightsSecurity.AuthCookie.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static Task<HttpResponseMessage> GetAsync(InsightsHost insights, string path, string cookie) =>
        SendAsync(insights, HttpMethod.Get, path, cookie);

    private static async Task<HttpResponseMessage> SendAsync(InsightsHost insights, HttpMethod method, string path, string? cookie)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = insights.FrontendUrl };
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{InsightsSecurity.AuthCookie}={cookie}");
        }

        return await http.SendAsync(request);
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
