using System.Diagnostics.CodeAnalysis;
using Grpc.Core;

namespace Orders.Client.Parsing;

/// <summary>Turns repeatable <c>--header name=value</c> arguments into gRPC request metadata.</summary>
public static class MetadataParser
{
    public static bool TryParseHeader(string text, [NotNullWhen(true)] out Metadata.Entry? entry, [NotNullWhen(false)] out string? error)
    {
        entry = null;
        var separator = text.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0)
        {
            error = $"'{text}' is not name=value.";
            return false;
        }

        var name = text[..separator].Trim().ToLowerInvariant();
        var value = text[(separator + 1)..];
        try
        {
            // Binary headers (-bin) travel as bytes; on the command line they are written in base64.
            entry = name.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal)
                ? new Metadata.Entry(name, Convert.FromBase64String(value))
                : new Metadata.Entry(name, value);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            error = $"'{name}': {ex.Message}";
            return false;
        }
    }
}
