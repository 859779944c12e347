using OrdersAspire.GrpcInsights.Configuration;

namespace OrdersAspire.GrpcInsights.Security;

/// <summary>
/// When the UI is secured, every frontend request needs the session cookie that /login?t=&lt;token&gt; hands out
/// (the login URL is printed at start, as Aspire's dashboard does); it names a <see cref="BrowserSessions"/> session,
/// never the token. API calls may send the token as a bearer token.
/// </summary>
public sealed class BrowserTokenMiddleware(RequestDelegate next, InsightsSecurity security, BrowserSessions sessions)
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    public Task InvokeAsync(HttpContext context)
    {
        var kind = context.Features.Get<EndpointKindFeature>()?.Kind ?? EndpointKind.Frontend;
        if (kind != EndpointKind.Frontend || security.FrontendAuthMode == FrontendAuthMode.Unsecured
            || context.Request.Path.StartsWithSegments(LoginPath)
            // Container and orchestrator probes carry no token; /health and /alive reveal nothing but "Healthy".
            || HealthEndpoints.IsProbe(context.Request)
            || sessions.IsValid(context.Request.Cookies[InsightsSecurity.AuthCookie])
            || security.IsValidBrowserToken(BearerToken(context.Request)))
        {
            return next(context);
        }

        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        context.Response.Redirect(LoginPath);
        return Task.CompletedTask;
    }

    public static void MapLoginAndLogout(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, (HttpContext context, InsightsSecurity security, BrowserSessions sessions, string? t) =>
        {
            if (!security.IsValidBrowserToken(t))
            {
                return Results.Content(LoginPage, "text/html; charset=utf-8", statusCode: t is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
            }

            context.Response.Cookies.Append(InsightsSecurity.AuthCookie, sessions.Start(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                IsEssential = true,
                MaxAge = BrowserSessions.Lifetime,
            });
            return Results.Redirect("/");
        });

        // SameSite=Strict keeps the cookie off other sites' posts, so no page elsewhere can log a user out.
        endpoints.MapPost(LogoutPath, (HttpContext context, BrowserSessions sessions) =>
        {
            sessions.End(context.Request.Cookies[InsightsSecurity.AuthCookie]);
            context.Response.Cookies.Delete(InsightsSecurity.AuthCookie);
            return Results.Redirect(LoginPath);
        });
    }

    private static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..] : null;

    // Static text only: nothing from the request is echoed back.
    private const string LoginPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Log in · OrdersAspire gRPC insights</title>
        <link rel="stylesheet" href="/app.css"></head>
        <body class="login"><main><h1>OrdersAspire gRPC insights</h1>
        <form method="get" action="/login"><label for="t">Browser token (printed in the console at start)</label>
        <input id="t" name="t" type="password" autocomplete="off" required autofocus><button type="submit">Log in</button></form>
        </main></body></html>
        """;
}
