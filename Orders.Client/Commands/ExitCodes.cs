using Grpc.Core;

namespace Orders.Client.Commands;

/// <summary>Every exit status of Orders.Client; RPC failures map to 64 + the gRPC status code, as grpcurl does it.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>
    /// A single scenario run with a step that did not get its expected outcome; also what System.CommandLine's default
    /// exception handler returns after printing an exception no command expected.
    /// </summary>
    public const int Failed = 1;

    public const int Usage = 2;

    /// <summary>Ctrl+C/SIGTERM stopped the scenario before one run completed (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    private const int RpcErrorBase = 64;

    public static int ForStatus(StatusCode code) => code == StatusCode.OK ? Success : RpcErrorBase + (int)code;
}
