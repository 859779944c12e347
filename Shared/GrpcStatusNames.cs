namespace OrdersAspire.Shared;

/// <summary>
/// The canonical gRPC status code names ("NOT_FOUND", "DEADLINE_EXCEEDED") used in logs, span and metric attributes
/// (<c>rpc.response.status_code</c>) and CLI output. Indexed by the numeric code, so it needs no gRPC package.
/// </summary>
internal static class GrpcStatusNames
{
    /// <summary>Every canonical name, indexed by its code.</summary>
    public static IReadOnlyList<string> All => Names;

    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>The name of <paramref name="code"/>; a code outside the spec is written as its number.</summary>
    public static string Of(int code) =>
        code >= 0 && code < Names.Length ? Names[code] : code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The numeric code of a canonical name, or null for anything else.</summary>
    public static int? CodeOf(string? name)
    {
        var index = Array.IndexOf(Names, name);
        return index < 0 ? null : index;
    }
}
