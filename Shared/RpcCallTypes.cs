using Grpc.Core;

namespace OrdersAspire.Shared;

/// <summary>The values of <c>rpc.grpc.call_type</c> and of the <c>CallType</c> log field.</summary>
internal static class RpcCallTypes
{
    public const string Unary = "unary";
    public const string ClientStreaming = "client_streaming";
    public const string ServerStreaming = "server_streaming";
    public const string DuplexStreaming = "duplex_streaming";

    public static string Of(MethodType methodType) => methodType switch
    {
        MethodType.Unary => Unary,
        MethodType.ClientStreaming => ClientStreaming,
        MethodType.ServerStreaming => ServerStreaming,
        _ => DuplexStreaming,
    };
}
