using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace OrdersAspire.GrpcInsights.Configuration;

/// <summary>The "Insights" configuration section; its keys below the section follow Aspire's standalone dashboard.</summary>
public sealed class InsightsOptions
{
    public const string SectionName = "Insights";

    [ValidateObjectMembers]
    public TelemetryLimitOptions TelemetryLimits { get; set; } = new();

    [ValidateObjectMembers]
    public OtlpOptions Otlp { get; set; } = new();

    public FrontendOptions Frontend { get; set; } = new();

    [ValidateObjectMembers]
    public ReproduceOptions Reproduce { get; set; } = new();

    public AspireDashboardOptions AspireDashboard { get; set; } = new();
}

/// <summary>Checks every [Range] of the nested sections at start; generated, so each failure names its setting.</summary>
[OptionsValidator]
public sealed partial class InsightsOptionsValidator : IValidateOptions<InsightsOptions>;

/// <summary>Insights:TelemetryLimits — the store is in memory, so it is capped; oldest traces go first.</summary>
public sealed class TelemetryLimitOptions
{
    public const int DefaultMaxSpansPerTrace = 2_000;
    public const long DefaultMaxStoreBytes = 128L * 1024 * 1024;

    [Range(1, int.MaxValue)]
    public int MaxTraceCount { get; set; } = 10_000;

    /// <summary>Later spans of a trace are dropped, so one endless trace id cannot take the whole store.</summary>
    [Range(1, int.MaxValue)]
    public int MaxSpansPerTrace { get; set; } = DefaultMaxSpansPerTrace;

    /// <summary>The store's estimated size in bytes; the oldest traces are evicted to stay within it.</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxStoreBytes { get; set; } = DefaultMaxStoreBytes;

    /// <summary>Attributes kept per span, event or resource; 0 keeps none.</summary>
    [Range(0, int.MaxValue)]
    public int MaxAttributeCount { get; set; } = 128;

    /// <summary>Longer attribute values are cut: a single huge value must not eat the memory budget.</summary>
    [Range(1, int.MaxValue)]
    public int MaxAttributeLength { get; set; } = 4_096;

    /// <summary>Events kept per span; 0 keeps none.</summary>
    [Range(0, int.MaxValue)]
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
    public const string MaxRequestBodySizeSetting = $"{InsightsOptions.SectionName}:Otlp:{nameof(MaxRequestBodySize)}";
    public const string MaxConcurrentExportsSetting = $"{InsightsOptions.SectionName}:Otlp:{nameof(MaxConcurrentExports)}";
    public const string MaxQueuedExportsSetting = $"{InsightsOptions.SectionName}:Otlp:{nameof(MaxQueuedExports)}";
    public const string ExportQueueTimeoutSetting = $"{InsightsOptions.SectionName}:Otlp:{nameof(ExportQueueTimeout)}";

    /// <summary>Unset means: ApiKey when a key is configured, otherwise Unsecured.</summary>
    public OtlpAuthMode? AuthMode { get; set; }
    public string? PrimaryApiKey { get; set; }
    public string? SecondaryApiKey { get; set; }
    /// <summary>Largest accepted export request (gRPC message or HTTP body), in bytes.</summary>
    [Range(1, int.MaxValue)]
    public int MaxRequestBodySize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Exports read and parsed at once, over all three transports: what bounds the memory parsing takes.</summary>
    [Range(1, int.MaxValue)]
    public int MaxConcurrentExports { get; set; } = 4;

    /// <summary>Exports that may wait for a free slot; any more are refused at once.</summary>
    [Range(0, int.MaxValue)]
    public int MaxQueuedExports { get; set; } = 16;

    /// <summary>How long a queued export waits for a slot before it is refused as retryable.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ExportQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public OtlpCorsOptions Cors { get; set; } = new();
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

/// <summary>Insights:Reproduce — how the shell lines that repeat a traced call start.</summary>
public sealed class ReproduceOptions
{
    private const string OneLineOfWords = $"{InsightsOptions.SectionName}:Reproduce:ClientCommand must be one line of shell words.";

    /// <summary>
    /// The shell words that run Orders.Client, written into every line as they are (not quoted): the default is what
    /// README runs from the repository's root; a deployment names its own (e.g. <c>dotnet /app/Orders.Client.dll</c>).
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = OneLineOfWords)]
    [RegularExpression(@"^[^\r\n]*\S[^\r\n]*$", ErrorMessage = OneLineOfWords)]
    public string ClientCommand { get; set; } = "dotnet run --project Orders.Client --";
}
