namespace OrdersAspire.GrpcInsights.Configuration;

/// <summary>The "Insights" configuration section; its keys below the section follow Aspire's standalone dashboard.</summary>
public sealed class InsightsOptions
{
    public const string SectionName = "Insights";

    public TelemetryLimitOptions TelemetryLimits { get; set; } = new();
    public OtlpOptions Otlp { get; set; } = new();
    public FrontendOptions Frontend { get; set; } = new();
}

/// <summary>Insights:TelemetryLimits — the store is in memory, so it is capped; oldest traces go first.</summary>
public sealed class TelemetryLimitOptions
{
    public const int DefaultMaxSpansPerTrace = 2_000;
    public const long DefaultMaxStoreBytes = 128L * 1024 * 1024;

    public int MaxTraceCount { get; set; } = 10_000;
    /// <summary>Later spans of a trace are dropped, so one endless trace id cannot take the whole store.</summary>
    public int MaxSpansPerTrace { get; set; } = DefaultMaxSpansPerTrace;
    /// <summary>The store's estimated size in bytes; the oldest traces are evicted to stay within it.</summary>
    public long MaxStoreBytes { get; set; } = DefaultMaxStoreBytes;
    public int MaxAttributeCount { get; set; } = 128;
    /// <summary>Longer attribute values are cut: a single huge value must not eat the memory budget.</summary>
    public int MaxAttributeLength { get; set; } = 4_096;
    public int MaxSpanEventCount { get; set; } = 256;
}

public enum OtlpAuthMode
{
    Unsecured,
    ApiKey,
}

/// <summary>Insights:Otlp — who may send telemetry, how big one export may be and how many are parsed at once.</summary>
public sealed class OtlpOptions
{
    /// <summary>Named in the answers to exports over a limit, so whoever gets one knows what to change.</summary>
    public const string MaxRequestBodySizeSetting = "Insights:Otlp:MaxRequestBodySize";
    public const string MaxConcurrentExportsSetting = "Insights:Otlp:MaxConcurrentExports";
    public const string MaxQueuedExportsSetting = "Insights:Otlp:MaxQueuedExports";
    public const string ExportQueueTimeoutSetting = "Insights:Otlp:ExportQueueTimeout";

    /// <summary>Unset means: ApiKey when a key is configured, otherwise Unsecured.</summary>
    public OtlpAuthMode? AuthMode { get; set; }
    public string? PrimaryApiKey { get; set; }
    public string? SecondaryApiKey { get; set; }
    /// <summary>Largest accepted export request (gRPC message or HTTP body), in bytes.</summary>
    public int MaxRequestBodySize { get; set; } = 4 * 1024 * 1024;
    /// <summary>Exports read and parsed at once, over all three transports: what bounds the memory parsing takes.</summary>
    public int MaxConcurrentExports { get; set; } = 4;
    /// <summary>Exports that may wait for a free slot; any more are refused at once.</summary>
    public int MaxQueuedExports { get; set; } = 16;
    /// <summary>How long a queued export waits for a slot before it is refused as retryable.</summary>
    public TimeSpan ExportQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);
    public OtlpCorsOptions Cors { get; set; } = new();

    /// <summary>Refuses settings the receiver cannot work with, naming the setting and what it must be.</summary>
    public void Validate()
    {
        if (MaxConcurrentExports < 1)
        {
            throw new InvalidOperationException($"{MaxConcurrentExportsSetting} must be at least 1; it is {MaxConcurrentExports}.");
        }

        if (MaxQueuedExports < 0)
        {
            throw new InvalidOperationException($"{MaxQueuedExportsSetting} must be 0 or more; it is {MaxQueuedExports}.");
        }

        if (ExportQueueTimeout < TimeSpan.Zero || ExportQueueTimeout > TimeSpan.FromMinutes(1))
        {
            throw new InvalidOperationException($"{ExportQueueTimeoutSetting} must be between 00:00:00 and 00:01:00; it is {ExportQueueTimeout}.");
        }
    }
}

/// <summary>Insights:Otlp:Cors — browser apps exporting OTLP/HTTP from other origins; off unless origins are listed.</summary>
public sealed class OtlpCorsOptions
{
    /// <summary>Comma-separated origins, or "*" for any.</summary>
    public string? AllowedOrigins { get; set; }
    /// <summary>Comma-separated request headers, or "*"; unset allows any.</summary>
    public string? AllowedHeaders { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(AllowedOrigins);
}

public enum FrontendAuthMode
{
    Unsecured,
    BrowserToken,
}

/// <summary>Insights:Frontend — browser access to the UI and the JSON API.</summary>
public sealed class FrontendOptions
{
    /// <summary>Unset means: BrowserToken when the UI listens beyond loopback, otherwise Unsecured.</summary>
    public FrontendAuthMode? AuthMode { get; set; }
    /// <summary>Fixed token; a random one is generated (and printed as a login URL) when empty.</summary>
    public string? BrowserToken { get; set; }
}
