using System.Globalization;
using OrdersAspire.Shared;

namespace OrdersAspire.GrpcInsights.Store;

/// <summary>A span's gRPC status as the insights read it, from either RPC semantic-convention generation.</summary>
public static class GrpcStatusCodes
{
    /// <summary>
    /// The status name from the newer string attribute (a name, or a number written as text) or the older int one.
    /// </summary>
    public static string? FromAttributes(string? stringCode, string? numericCode)
    {
        if (!string.IsNullOrEmpty(stringCode))
        {
            return int.TryParse(stringCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? GrpcStatusNames.Of(number)
                : stringCode.ToUpperInvariant();
        }

        return int.TryParse(numericCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? GrpcStatusNames.Of(code) : null;
    }

    public static bool IsError(string? status) => status is not null and not "OK";
}
