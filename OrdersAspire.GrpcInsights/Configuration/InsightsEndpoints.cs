namespace OrdersAspire.GrpcInsights.Configuration;

/// <summary>
/// Reads the insights' three addresses from the variables Aspire's standalone dashboard honours:
/// ASPNETCORE_URLS (UI), ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL (OTLP/gRPC), ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL (OTLP/HTTP).
/// </summary>
public sealed class InsightsEndpoints
{
    public const string OtlpGrpcUrlKey = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL";
    public const string OtlpHttpUrlKey = "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL";

    public const string DefaultFrontendUrl = "http://127.0.0.1:18888";
    public const string DefaultOtlpGrpcUrl = "http://127.0.0.1:18889";
    public const string DefaultOtlpHttpUrl = "http://127.0.0.1:18890";

    public required IReadOnlyList<InsightsEndpoint> Frontend { get; init; }
    public required InsightsEndpoint OtlpGrpc { get; init; }
    public required InsightsEndpoint OtlpHttp { get; init; }

    /// <summary>False while following the Aspire dashboard: spans come from its API, so no OTLP port is opened.</summary>
    public bool ReceivesOtlp { get; init; } = true;

    public IEnumerable<InsightsEndpoint> All => ReceivesOtlp ? [.. Frontend, OtlpGrpc, OtlpHttp] : Frontend;

    public bool FrontendIsLoopbackOnly => Frontend.All(endpoint => endpoint.IsLoopback);
    public bool OtlpIsLoopbackOnly => OtlpGrpc.IsLoopback && OtlpHttp.IsLoopback;

    /// <param name="receivesOtlp">False while following the Aspire dashboard (<see cref="AspireDashboardOptions.Follow"/>).</param>
    public static InsightsEndpoints FromConfiguration(IConfiguration configuration, bool receivesOtlp = true)
    {
        var frontendUrls = KestrelAddresses.Read(configuration).Urls;
        return new InsightsEndpoints
        {
            Frontend = [.. (frontendUrls.Count > 0 ? frontendUrls : [DefaultFrontendUrl]).Select(url => Parse(EndpointKind.Frontend, KestrelAddresses.UrlsKey, url))],
            OtlpGrpc = Parse(EndpointKind.OtlpGrpc, OtlpGrpcUrlKey, NonEmpty(configuration[OtlpGrpcUrlKey]) ?? DefaultOtlpGrpcUrl),
            OtlpHttp = Parse(EndpointKind.OtlpHttp, OtlpHttpUrlKey, NonEmpty(configuration[OtlpHttpUrlKey]) ?? DefaultOtlpHttpUrl),
            ReceivesOtlp = receivesOtlp,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Where the <c>healthcheck</c> command finds the insights' /health: the UI's first http:// address (HTTP/1.1).</summary>
    public static HealthCheckTarget FrontendHealthCheckTarget(IConfiguration configuration) =>
        HealthCheckTarget.FirstHttp(FromConfiguration(configuration).Frontend.Select(endpoint => endpoint.Url.ToString()), http2Only: false);

    private static InsightsEndpoint Parse(EndpointKind kind, string key, string url)
    {
        var uri = ListeningUrls.TryParse(url);
        if ((KestrelAddresses.WhyUnusable(url) ?? (uri is null ? "it is not a URL" : null)) is { } reason)
        {
            throw KestrelAddresses.Unusable(key, url, reason);
        }

        return new InsightsEndpoint(kind, uri!);
    }
}
