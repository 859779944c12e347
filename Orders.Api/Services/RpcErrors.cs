using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Orders.Api.Services;

/// <summary>Builds the rich statuses of docs/contract.md (Errors) (google.rpc details via Grpc.StatusProto).</summary>
public static class RpcErrors
{
    public const string OrderResourceType = "order";

    /// <summary>The only text a client sees for a failure we did not anticipate.</summary>
    public const string InternalErrorMessage = "An internal error occurred. It has been logged on the server.";

    /// <summary>How long clients should wait before retrying when the store is unavailable.</summary>
    public static readonly TimeSpan StoreRetryDelay = TimeSpan.FromSeconds(1);

    [DoesNotReturn]
    public static void ThrowInvalidArgument(string message, IEnumerable<BadRequest.Types.FieldViolation> violations) =>
        throw Create(Code.InvalidArgument, message, new BadRequest { FieldViolations = { violations } });

    [DoesNotReturn]
    public static void ThrowOrderNotFound(string id, string message) =>
        throw Create(Code.NotFound, message, new ResourceInfo { ResourceType = OrderResourceType, ResourceName = id, Description = message });

    /// <param name="reason">Said to the caller only when it is ours to say (a store file gone); a driver's message is not.</param>
    public static RpcException StoreUnavailable(string? reason = null) => Create(
        Code.Unavailable,
        reason is null ? "The order store is unavailable; retry later." : $"The order store is unavailable ({reason}); retry later.",
        new RetryInfo { RetryDelay = Duration.FromTimeSpan(StoreRetryDelay) });

    public static RpcException Internal() => new Google.Rpc.Status { Code = (int)Code.Internal, Message = InternalErrorMessage }.ToRpcException();

    public static BadRequest.Types.FieldViolation Violation(string field, string description) =>
        new() { Field = field, Description = description };

    private static RpcException Create(Code code, string message, Google.Protobuf.IMessage detail) =>
        new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(detail) } }.ToRpcException();
}
