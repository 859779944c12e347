using Grpc.Core;
using OrdersAspire.Shared;

namespace Orders.Api.Interceptors;

/// <summary>
/// Renders request metadata for logs by an allow-list: only keys known to carry no secret show their values; any other
/// key shows its name and length (a deny-list would leak the next <c>x-api-key</c> nobody thought of), and binary
/// (<c>-bin</c>) values their byte count.
/// </summary>
public static class MetadataRedactor
{
    private static readonly HashSet<string> ShownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        OrdersHeaders.RequestId, OrdersHeaders.DelayMs,
        "user-agent", "content-type", "te", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-previous-rpc-attempts",
        "traceparent", "tracestate",
    };

    /// <summary>One printable line (<see cref="PrintableText"/>): a shown value is the caller's text.</summary>
    public static string Format(Metadata metadata) =>
        PrintableText.Escape(string.Join(", ", metadata.Select(entry => $"{entry.Key}={Value(entry)}")));

    private static string Value(Metadata.Entry entry) =>
        entry.IsBinary ? $"[redacted {entry.ValueBytes.Length} bytes]"
        : ShownKeys.Contains(entry.Key) ? entry.Value
        : $"[redacted {entry.Value.Length} chars]";
}
