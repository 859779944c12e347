using System.CommandLine.Parsing;
using Grpc.Core;
using Orders.Client.Parsing;

namespace Orders.Client.Commands;

/// <summary>System.CommandLine adapters over the parsers: a bad value becomes a parse error (exit 2), never an exception.</summary>
internal static class CommandLineParsers
{
    public static TimeSpan? Duration(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (DurationParser.TryParse(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration (use e.g. 250ms, 5s, 1m, 1h).");
        return null;
    }

    public static Metadata.Entry[] Headers(ArgumentResult result)
    {
        var entries = new List<Metadata.Entry>();
        foreach (var token in result.Tokens)
        {
            if (MetadataParser.TryParseHeader(token.Value, out var entry, out var error))
            {
                entries.Add(entry);
            }
            else
            {
                result.AddError($"--header {error}");
            }
        }

        return [.. entries];
    }

    public static CancelAfter? CancelAfter(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (Parsing.CancelAfter.TryParse(text, out var cancelAfter))
        {
            return cancelAfter;
        }

        result.AddError($"--cancel-after: '{text}' is neither a shipment count nor a duration (e.g. 2 or 500ms).");
        return null;
    }
}
