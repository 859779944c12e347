using Grpc.Core;

namespace Orders.Api.Interceptors;

/// <summary>
/// One request header of a call, read as <c>ServerCallContext.RequestHeaders.GetValue</c> reads it but straight from the
/// HTTP request: grpc-dotnet builds that Metadata as a copy of every request header, once per call that asks.
/// </summary>
public static class CallHeader
{
    /// <summary>
    /// The header's value, or null when it is absent. As in grpc-dotnet's metadata, the name compares ignoring case and
    /// a repeated header is one value, its values joined by ',' (ASCII-valued names grpc-dotnet does not reserve only).
    /// </summary>
    public static string? Value(ServerCallContext context, string name) => context.GetHttpContext().Request.Headers[name];
}
