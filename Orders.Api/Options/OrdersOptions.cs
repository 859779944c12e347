using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Orders.Api.Options;

/// <summary>The <c>Orders</c> configuration section.</summary>
public sealed class OrdersOptions
{
    public const string SectionName = "Orders";

    /// <summary>Loads orders 101–104 once into an empty store (true in Development).</summary>
    public bool SeedSampleData { get; set; }

    /// <summary>The listening port (one of the configured URLs' ports) that serves HTTP/1.1 instead of the endpoints' protocols.</summary>
    [Range(1, 65_535)]
    public int? Http1Port { get; set; }

    public AuthenticationOptions Authentication { get; set; } = new();

    [ValidateObjectMembers]
    public StorageOptions Storage { get; set; } = new();

    [ValidateObjectMembers]
    public ProcessingOptions Processing { get; set; } = new();

    [ValidateObjectMembers]
    public FaultInjectionOptions FaultInjection { get; set; } = new();

    [ValidateObjectMembers]
    public ValidationOptions Validation { get; set; } = new();

    [ValidateObjectMembers]
    public MetadataOptions Metadata { get; set; } = new();

    [ValidateObjectMembers]
    public TelemetryOptions Telemetry { get; set; } = new();
}

/// <summary>Checks every [Range] of the nested sections at start; generated, so each failure names its setting.</summary>
[OptionsValidator]
public sealed partial class OrdersOptionsValidator : IValidateOptions<OrdersOptions>;

/// <summary>Bearer-token checks on the service's calls (docs/security.md); the checks themselves are Authentication:Schemes:Bearer.</summary>
public sealed class AuthenticationOptions
{
    public bool Enabled { get; set; }
}

public sealed class StorageOptions
{
    /// <summary>Which store <c>ConnectionStrings:orders</c> points at; unset means inferred from the connection string.</summary>
    public OrderStoreProvider? Provider { get; set; }

    /// <summary>While the store cannot be reached at start, initialization is retried after 1 s, doubling up to this.</summary>
    [Range(100, 3_600_000)]
    public int MaxInitializeRetryDelayMs { get; set; } = 30_000;

    /// <summary>
    /// SQLite: the memory getOrder may keep orders in, served while the database's WAL index shows no commit by any
    /// connection or process since they were read (docs/store.md); 0 reads every order from the database.
    /// </summary>
    [Range(0, 1_073_741_824)]
    public int ReadCacheBytes { get; set; } = 32 * 1024 * 1024;
}

public enum OrderStoreProvider
{
    Sqlite,
    PostgreSQL,
}

public sealed class ProcessingOptions
{
    /// <summary>processOrders flushes its pending shipments after this many found orders.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 3;
}

public sealed class FaultInjectionOptions
{
    /// <summary>Honour the <c>x-orders-delay-ms</c> request header (demos and tests only).</summary>
    public bool Enabled { get; set; }

    [Range(0, int.MaxValue)]
    public int MaxDelayMs { get; set; } = 60_000;
}

/// <summary>Input limits; anything beyond them is INVALID_ARGUMENT with a field violation.</summary>
public sealed class ValidationOptions
{
    [Range(1, 10_000)]
    public int MaxIdLength { get; set; } = 64;

    [Range(1, 100_000)]
    public int MaxItemsPerOrder { get; set; } = 100;

    [Range(1, 100_000)]
    public int MaxItemLength { get; set; } = 200;

    [Range(1, 1_000_000)]
    public int MaxDescriptionLength { get; set; } = 2000;

    [Range(1, 100_000)]
    public int MaxDestinationLength { get; set; } = 200;

    [Range(1, 100_000)]
    public int MaxQueryLength { get; set; } = 200;

    [Range(1, 1_000_000)]
    public int MaxOrdersPerUpdate { get; set; } = 1000;

    /// <summary>Field violations sent back per call; the rest are only counted, so the error trailer stays small.</summary>
    [Range(1, 100)]
    public int MaxFieldViolations { get; set; } = 10;
}

/// <summary>
/// Request metadata one call may carry; past either limit the call is RESOURCE_EXHAUSTED. Kestrel's own header limits
/// sit above these and close the whole connection (docs/configuration.md, Request metadata limits).
/// </summary>
public sealed class MetadataOptions
{
    /// <summary>Names and values of all request headers, in bytes, counted as Kestrel counts them (no per-field overhead).</summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxTotalBytes { get; set; } = 64 * 1024;

    /// <summary>Request header fields; a name sent several times counts once per value.</summary>
    [Range(1, 100_000)]
    public int MaxEntries { get; set; } = 100;
}

/// <summary>
/// What the server span records of a call beyond its outline (docs/telemetry.md). Request messages are the callers'
/// data, so they are recorded only when asked for, and capped so one call cannot fill a span batch.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Each request message as protobuf JSON in a span event, so the gRPC insights can repeat the call.</summary>
    public bool CaptureMessages { get; set; }

    /// <summary>Request messages recorded per call; past it the rest are counted, not recorded.</summary>
    [Range(1, 1_000)]
    public int MaxCapturedMessages { get; set; } = 16;

    /// <summary>
    /// UTF-8 bytes of JSON recorded per call, all messages together: at most the insights' default attribute length
    /// (4096), so no recorded message arrives there cut.
    /// </summary>
    [Range(1, 1_048_576)]
    public int MaxCapturedBytes { get; set; } = 4_096;
}
