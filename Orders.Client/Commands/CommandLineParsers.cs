using System.CommandLine.Parsing;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Orders.Client.Parsing;

namespace Orders.Client.Commands;

/// <summary>System.CommandLine adapters over the parsers: a bad value becomes a parse error (exit 2), never an exception.</summary>
internal static class CommandLineParsers
{
    public static TimeSpan? Duration(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (DurationParser.Check(text, out var duration) is not { } problem)
        {
            return duration;
        }

        result.AddError($"'{text}' {problem}.");
        return null;
    }

    public static float Price(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var price))
        {
            return price;
        }

        result.AddError($"--price: '{text}' is not a number (e.g. 1000 or 9.99).");
        return 0;
    }

    public static Ecommerce.Order? OrderJson(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        try
        {
            return OrdersJsonFile.Parse(text, "add: --order") is [var order] ? order : ThrowNotOne();
        }
        catch (UsageException ex)
        {
            result.AddError(ex.Message);
            return null;
        }

        static Ecommerce.Order ThrowNotOne() => throw new UsageException("add: --order takes one order object, not an array.");
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

    public static X509Certificate2Collection? CaCertificates(ArgumentResult result)
    {
        var path = result.Tokens[0].Value;
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            result.AddError($"--ca: '{path}' cannot be read as PEM certificates: {ex.Message}");
            return null;
        }

        if (certificates.Count == 0)
        {
            result.AddError($"--ca: '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
            return null;
        }

        return certificates;
    }

    public static CancelAfter? CancelAfter(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (Parsing.CancelAfter.Check(text, out var cancelAfter) is { } problem)
        {
            result.AddError($"--cancel-after: {problem}");
        }

        return cancelAfter;
    }
}
