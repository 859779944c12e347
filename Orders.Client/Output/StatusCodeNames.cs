using System.Text;
using Grpc.Core;

namespace Orders.Client.Output;

/// <summary>The canonical gRPC code names (NOT_FOUND, DEADLINE_EXCEEDED) that users see in docs, grpcurl and traces.</summary>
public static class StatusCodeNames
{
    public static string Canonical(StatusCode code)
    {
        var pascal = code.ToString();
        var name = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && char.IsLower(pascal[i - 1]))
            {
                name.Append('_');
            }

            name.Append(char.ToUpperInvariant(pascal[i]));
        }

        return name.ToString();
    }
}
