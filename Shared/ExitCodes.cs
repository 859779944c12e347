namespace OrdersAspire.Shared;

/// <summary>
/// Every exit status of the repository's programs: Orders.Client, Orders.Api and the gRPC insights (with their
/// <c>healthcheck</c> command), and the AppHost. README.md's exit-code table lists them per program.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>
    /// A single scenario run with a step that did not get its expected outcome; an unhealthy <c>healthcheck</c>; and what
    /// System.CommandLine's default handler returns after printing an exception no command expected.
    /// </summary>
    public const int Failed = 1;

    /// <summary>
    /// What the operator must fix, said in one line: a usage error, a refused setting, an address already in use, a data
    /// folder that cannot be written, a fixed port already taken.
    /// </summary>
    public const int Usage = 2;

    /// <summary>An RPC that failed ends the client with this plus its gRPC status code, as grpcurl does it.</summary>
    public const int RpcErrorBase = 64;

    /// <summary>Ctrl+C/SIGTERM stopped the scenario before one run completed (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public static int ForStatus(int grpcStatusCode) => grpcStatusCode == 0 ? Success : RpcErrorBase + grpcStatusCode;
}
