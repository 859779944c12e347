using System.Globalization;

namespace OrdersAspire.GrpcInsights.Store;

/// <summary>gRPC status codes by number, as named in the gRPC specification.</summary>
public static class GrpcStatusCodes
{
    public static readonly IReadOnlyList<string> Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    private static readonly Dictionary<string, int> Numbers = Names.Select((name, number) => (name, number)).ToDictionary(p => p.name, p => p.number, StringComparer.Ordinal);

    /// <summary>The code number of a status name; null for names outside the specification.</summary>
    public static int? Number(string name) => Numbers.TryGetValue(name, out var number) ? number : null;

    /// <summary>
    /// The status name from the newer string attribute (a name, or a number written as text) or the older int one.
    /// </summary>
    public static string? FromAttributes(string? stringCode, string? numericCode)
    {
        if (!string.IsNullOrEmpty(stringCode))
        {
            return int.TryParse(stringCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? FromNumber(number)
                : stringCode.ToUpperInvariant();
        }

        return int.TryParse(numericCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? FromNumber(code) : null;
    }

    public static string FromNumber(int code) => code >= 0 && code < Names.Count ? Names[code] : code.ToString(CultureInfo.InvariantCulture);

    public static bool IsError(string? status) => status is not null and not "OK";
}
