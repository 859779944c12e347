using Grpc.Core;

namespace Orders.Api.Interceptors;

/// <summary>The <c>rpc.grpc.call_type</c> values.</summary>
public static class CallType
{
    public static string Of(MethodType methodType) => methodType switch
    {
        MethodType.Unary => "unary",
        MethodType.ClientStreaming => "client_streaming",
        MethodType.ServerStreaming => "server_streaming",
        _ => "duplex_streaming",
    };
}
