using Grpc.Core;

namespace Orders.Tests.Api.BadInput;

/// <summary>One row of the bad-input table (docs/contract.md, Bad input).</summary>
/// <param name="Category">The row's group in the docs' count.</param>
/// <param name="Name">Unique; names the test case.</param>
/// <param name="Rpc">The method the request goes to, as the server's telemetry names it.</param>
/// <param name="Send">Sends the request with the given x-request-id; returns what the caller got.</param>
/// <param name="Status">The status the caller must get.</param>
/// <param name="Message">A fragment of the status message (or of its field violations) the caller must get.</param>
/// <param name="Observed">The call reaches the service, so the interceptor logs, traces and measures it. False only for
/// requests grpc-dotnet turns away before any method is chosen (wrong content-type, unknown method or service).</param>
/// <param name="NotStored">Ids of orders the rejected call carried, which must not be in the store afterwards.</param>
public sealed record BadInputCase(
    string Category,
    string Name,
    string Rpc,
    Func<BadInputServer, string, Task<CallOutcome>> Send,
    StatusCode Status,
    string Message,
    bool Observed = true,
    IReadOnlyList<string>? NotStored = null)
{
    public override string ToString() => Name;
}
