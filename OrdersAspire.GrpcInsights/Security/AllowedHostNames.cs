using OrdersAspire.GrpcInsights.Configuration;

namespace OrdersAspire.GrpcInsights.Security;

/// <summary>
/// The Host names the insights answer to (ASP.NET Core's host filtering; others get 400). On loopback only the
/// loopback names, with any port: a DNS-rebinding page (evil.example resolving to 127.0.0.1) sends its own name and is
/// refused, so it cannot read the telemetry. AllowedHosts, when set, decides instead.
/// </summary>
public static class AllowedHostNames
{
    public const string ConfigurationKey = "AllowedHosts";

    public static IReadOnlyList<string> Loopback { get; } = ["localhost", "127.0.0.1", "[::1]"];

    public static IList<string> For(IConfiguration configuration, InsightsEndpoints endpoints) =>
        configuration[ConfigurationKey]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } configured
            ? configured
            // Beyond loopback the insights are reached by names they cannot know; the browser token and API key guard it there.
            : endpoints.All.All(endpoint => endpoint.IsLoopback) ? [.. Loopback] : ["*"];
}
