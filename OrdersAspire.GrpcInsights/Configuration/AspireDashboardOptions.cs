namespace OrdersAspire.GrpcInsights.Configuration;

/// <summary>
/// Insights:AspireDashboard — the Aspire dashboard the insights sit beside. With Url, every call and trace links to
/// the same trace there; with Url and ApiKey, the insights follow its telemetry API instead of receiving OTLP themselves.
/// </summary>
public sealed class AspireDashboardOptions
{
    /// <summary>The Aspire dashboard's frontend address, e.g. http://localhost:15888.</summary>
    public Uri? Url { get; set; }

    /// <summary>The key of the dashboard's telemetry API (its Dashboard:Api:PrimaryApiKey), sent as x-api-key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>True when both are set: spans come from the dashboard's telemetry API, and no OTLP port is opened.</summary>
    public bool Follow => Url is not null && !string.IsNullOrEmpty(ApiKey);

    /// <summary>The Aspire dashboard's page of one trace (its route "/traces/detail/{traceId}"); null without a Url.</summary>
    public Uri? TraceUrl(string traceId) => Url is null ? null : new Uri($"{Url.AbsoluteUri.TrimEnd('/')}/traces/detail/{Uri.EscapeDataString(traceId)}");
}
