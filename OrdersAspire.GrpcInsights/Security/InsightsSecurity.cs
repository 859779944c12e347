using System.Security.Cryptography;
using System.Text;
using OrdersAspire.GrpcInsights.Configuration;

namespace OrdersAspire.GrpcInsights.Security;

/// <summary>
/// The effective security settings, decided once at start: secure by default whenever something listens beyond
/// loopback (browser token for the UI, API key for OTLP), unsecured only on loopback or when explicitly allowed.
/// </summary>
public sealed class InsightsSecurity
{
    public const string AllowAnonymousKey = "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS";
    public const string ApiKeyHeader = "x-otlp-api-key";
    public const string AuthCookie = "OrdersAspire.GrpcInsights.Auth";

    private readonly byte[][] apiKeys;
    private readonly byte[] browserToken;

    public InsightsSecurity(InsightsOptions options, InsightsEndpoints endpoints, bool allowAnonymous)
    {
        apiKeys = [.. new[] { options.Otlp.PrimaryApiKey, options.Otlp.SecondaryApiKey }
            .Where(key => !string.IsNullOrEmpty(key)).Select(key => Encoding.UTF8.GetBytes(key!))];
        OtlpAuthMode = allowAnonymous ? OtlpAuthMode.Unsecured : options.Otlp.AuthMode ?? (apiKeys.Length > 0 ? OtlpAuthMode.ApiKey : OtlpAuthMode.Unsecured);
        if (OtlpAuthMode == OtlpAuthMode.ApiKey && apiKeys.Length == 0)
        {
            throw new BadSettingException("Insights:Otlp:AuthMode is ApiKey but Insights:Otlp:PrimaryApiKey is not set.");
        }

        OtlpOpenToAnyone = endpoints.ReceivesOtlp && OtlpAuthMode == OtlpAuthMode.Unsecured;
        if (OtlpOpenToAnyone && !endpoints.OtlpIsLoopbackOnly && !allowAnonymous)
        {
            throw new BadSettingException(
                $"The OTLP endpoints listen beyond loopback: set Insights:Otlp:PrimaryApiKey, or {AllowAnonymousKey}=true to accept anyone's telemetry.");
        }

        FrontendAuthMode = allowAnonymous
            ? FrontendAuthMode.Unsecured
            : options.Frontend.AuthMode ?? (endpoints.FrontendIsLoopbackOnly ? FrontendAuthMode.Unsecured : FrontendAuthMode.BrowserToken);
        BrowserToken = string.IsNullOrEmpty(options.Frontend.BrowserToken) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : options.Frontend.BrowserToken;
        browserToken = Encoding.UTF8.GetBytes(BrowserToken);
        MaxRequestBodySize = options.Otlp.MaxRequestBodySize;
    }

    public OtlpAuthMode OtlpAuthMode { get; }
    public FrontendAuthMode FrontendAuthMode { get; }
    public string BrowserToken { get; }
    public int MaxRequestBodySize { get; }

    /// <summary>OTLP endpoints are open and take anyone's telemetry (never while following the Aspire dashboard: none are open).</summary>
    public bool OtlpOpenToAnyone { get; }

    public bool IsUnsecured => OtlpOpenToAnyone || FrontendAuthMode == FrontendAuthMode.Unsecured;

    public bool IsValidApiKey(string? presented) => presented is not null && apiKeys.Any(key => FixedTimeEquals(key, presented));

    public bool IsValidBrowserToken(string? presented) => presented is not null && FixedTimeEquals(browserToken, presented);

    private static bool FixedTimeEquals(byte[] expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(presented));
}
