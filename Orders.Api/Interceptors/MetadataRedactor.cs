using Grpc.Core;

namespace Orders.Api.Interceptors;

/// <summary>Renders request metadata for logs with secrets replaced: credentials by a marker, binary values by their length.</summary>
public static class MetadataRedactor
{
    public const string Redacted = "[redacted]";

    private static readonly HashSet<string> SecretKeys = new(StringComparer.OrdinalIgnoreCase) { "authorization", "cookie", "set-cookie", "proxy-authorization" };

    public static string Format(Metadata metadata) =>
        string.Join(", ", metadata.Select(entry => $"{entry.Key}={Value(entry)}"));

    private static string Value(Metadata.Entry entry) =>
        entry.IsBinary ? $"[redacted {entry.ValueBytes.Length} bytes]"
        : SecretKeys.Contains(entry.Key) ? Redacted
        : entry.Value;
}
