using OrdersAspire.Shared;

namespace OrdersAspire.AppHost.Commands;

/// <summary>
/// A resource command of orders-client: the Orders.Client arguments it runs once, and the gRPC status that call is
/// meant to end with (for the scenario, OK: every step got the outcome it expects).
/// </summary>
/// <param name="PausesTheLoop">
/// Whether orders-client's loop stops while the command runs: the scenario writes and deletes the sample orders 101-104,
/// so a pass beside the loop's meets its writes (a get of 101 after the other deleted it) and misses steps.
/// </param>
internal sealed record CallCommand(
    string Name, string DisplayName, string Description, string IconName, IReadOnlyList<string> ClientArguments, string ExpectedStatus,
    bool PausesTheLoop = false)
{
    /// <summary>Orders.Client's exit status for <see cref="ExpectedStatus"/>: 0, or 64 + the status code.</summary>
    public int ExpectedExitCode => ExitCodes.ForStatus(GrpcStatusNames.CodeOf(ExpectedStatus)
        ?? throw new InvalidOperationException($"{Name}: {ExpectedStatus} is no gRPC status name."));

    /// <summary>The command line a terminal would run for it, as the docs show it.</summary>
    public string ClientCommandLine => string.Join(' ', ["Orders.Client", .. ClientArguments]);
}
