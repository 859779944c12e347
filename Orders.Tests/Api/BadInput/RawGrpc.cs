using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api.BadInput;

/// <summary>Raw calls of Orders.Api's methods (<see cref="RawGrpcCall"/>), each with its own x-request-id to find its log lines by.</summary>
public static class RawGrpc
{
    public const string Service = "ecommerce.OrderManagement";

    /// <summary>POSTs <paramref name="body"/> to <c>/{service}/{method}</c> and reads the gRPC status.</summary>
    public static async Task<CallOutcome> SendAsync(
        HttpClient http, string method, byte[] body, string requestId,
        IReadOnlyDictionary<string, string>? headers = null, string? contentType = "application/grpc", string service = Service)
    {
        var reply = await RawGrpcCall.SendAsync(
            http, new Uri($"/{service}/{method}", UriKind.Relative), body, [.. headers ?? new Dictionary<string, string>(), new("x-request-id", requestId)], contentType);
        return new CallOutcome(reply.Status, reply.Message, AcceptEncoding: reply.AcceptEncoding);
    }
}
