using Grpc.Core;

namespace Orders.Client.Commands;

/// <summary>Process exit status, as grpcurl does it: RPC failures map to 64 + the gRPC status code.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int UnexpectedError = 1;
    public const int Usage = 2;
    private const int RpcErrorBase = 64;

    public static int ForStatus(StatusCode code) => code == StatusCode.OK ? Success : RpcErrorBase + (int)code;
}
