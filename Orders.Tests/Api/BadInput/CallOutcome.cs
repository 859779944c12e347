using Google.Rpc;
using Grpc.Core;

namespace Orders.Tests.Api.BadInput;

/// <summary>
/// The status a caller got back, with the field violations of its <c>BadRequest</c> detail, if any, and (raw calls)
/// the grpc-accept-encoding response header, and what a call answers in-band (processOrders' shipments).
/// </summary>
public sealed record CallOutcome(StatusCode Status, string Detail, string Violations = "", string? AcceptEncoding = null, string Answers = "")
{
    public static CallOutcome Ok { get; } = new(StatusCode.OK, "");

    /// <summary>The detail, every violation as "field: description" and the in-band answers, for matching a message fragment.</summary>
    public string Text => $"{Detail} {Violations} {Answers}";

    public static CallOutcome Of(RpcException error)
    {
        var violations = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => $"{v.Field}: {v.Description}") ?? [];
        return new CallOutcome(error.StatusCode, error.Status.Detail, string.Join(" | ", violations));
    }
}
