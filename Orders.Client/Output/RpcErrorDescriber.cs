using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using OrdersAspire.Shared;

namespace Orders.Client.Output;

/// <summary>Reads the rich error model (google.rpc.Status in grpc-status-details-bin) of a failed call.</summary>
public static class RpcErrorDescriber
{
    /// <summary>Knows every google.rpc detail type, so unknown-to-us details still print as readable JSON.</summary>
    public static readonly TypeRegistry DetailTypes = TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor);

    private static readonly JsonFormatter DetailFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(DetailTypes));

    /// <summary>The rich status the server sent, or one built from the plain status when it sent none.</summary>
    public static Google.Rpc.Status RichStatus(RpcException error) =>
        error.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)error.StatusCode, Message = error.Status.Detail };

    /// <summary>
    /// One headline plus one line per detail: every field violation, resource info, retry info. The server's text is
    /// printed escaped (<see cref="PrintableText"/>): a message must not be able to move the terminal's cursor.
    /// </summary>
    public static IReadOnlyList<string> Describe(RpcException error)
    {
        var status = RichStatus(error);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{GrpcStatusNames.Of((int)error.StatusCode)} ({(int)error.StatusCode}){(error.Status.Detail.Length > 0 ? ": " : "")}{PrintableText.Escape(error.Status.Detail)}"),
        };
        foreach (var detail in status.Details)
        {
            lines.AddRange(DescribeDetail(detail));
        }

        if (Hint(error) is { } hint)
        {
            lines.Add($"  hint: {hint}");
        }

        return lines;
    }

    /// <summary>What to try when the call failed before reaching the service, where the status alone does not say.</summary>
    public static string? Hint(RpcException error)
    {
        for (var cause = error.Status.DebugException; cause is not null; cause = cause.InnerException)
        {
            if (cause is System.Security.Authentication.AuthenticationException handshake)
            {
                // .NET's own wording when the server did speak TLS but its certificate failed validation.
                return handshake.Message.Contains("remote certificate", StringComparison.OrdinalIgnoreCase)
                    ? "the server's TLS certificate is not trusted here: for a self-signed or private CA certificate, pass it with --ca <pem-file>."
                    : "the TLS handshake failed: a server that speaks plain HTTP/2 (h2c, as Orders.Api does unless TLS is configured) needs an http:// address.";
            }
        }

        return null;
    }

    private static IEnumerable<string> DescribeDetail(Any detail)
    {
        if (detail.TryUnpack<BadRequest>(out var badRequest))
        {
            return badRequest.FieldViolations.Select(v => PrintableText.Escape($"  field violation: {v.Field}: {v.Description}"));
        }

        if (detail.TryUnpack<ResourceInfo>(out var resource))
        {
            var owner = resource.Owner.Length > 0 ? $" owner={resource.Owner}" : "";
            var description = resource.Description.Length > 0 ? $" ({resource.Description})" : "";
            return [PrintableText.Escape($"  resource: {resource.ResourceType} {resource.ResourceName}{owner}{description}")];
        }

        if (detail.TryUnpack<RetryInfo>(out var retry))
        {
            return [string.Create(CultureInfo.InvariantCulture, $"  retry after: {retry.RetryDelay.ToTimeSpan().TotalSeconds:0.###}s")];
        }

        return [$"  {Any.GetTypeName(detail.TypeUrl)}: {DetailFormatter.Format(detail)}"];
    }
}
