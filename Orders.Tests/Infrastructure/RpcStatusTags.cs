using System.Diagnostics;
using OrdersAspire.Shared;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// A call's gRPC status as a span or measurement of ours records it without OTEL_SEMCONV_STABILITY_OPT_IN: the int
/// <c>rpc.grpc.status_code</c>, read as its name ("NOT_FOUND") so assertions say which status they expect.
/// </summary>
internal static class RpcStatusTags
{
    public static string? RpcStatusName(this Activity span) => Name(span.GetTagItem(RpcSemanticConventions.GrpcStatusCode));

    public static string? RpcStatusName(this IReadOnlyDictionary<string, object?> tags) =>
        Name(tags.GetValueOrDefault(RpcSemanticConventions.GrpcStatusCode));

    private static string? Name(object? code) => code is int number ? GrpcStatusNames.Of(number) : null;
}
