namespace OrdersAspire.AppHost.Commands;

/// <summary>The outcomes orders-client produces on demand from the dashboard, one traced call (or scenario pass) each.</summary>
internal static class CallCommands
{
    public static IReadOnlyList<CallCommand> All { get; } =
    [
        new("run-scenario-once", "Run the scenario once",
            "One pass of every RPC and error path of the contract, with orders-client's loop stopped meanwhile; succeeds when every step gets its expected status.",
            "Play", ["scenario"], "OK", PausesTheLoop: true),
        new("get-order-1ms-deadline", "Call getOrder with a 1 ms deadline",
            "getOrder 102 with a deadline of 1 ms: the deadline passes before an answer can come.",
            "Timer", ["get", "102", "--deadline", "1ms"], "DEADLINE_EXCEEDED"),
        // The server holds the call for 2 s (fault injection), so the client's cancel at 500 ms always lands mid-call.
        new("cancel-process-orders", "Cancel a processOrders stream midway",
            "processOrders with ids 101-104 while the server holds the call for 2 s; the client cancels it after 500 ms.",
            "Dismiss", ["process", "101", "102", "103", "104", "--header", "x-orders-delay-ms=2000", "--cancel-after", "500ms"], "CANCELLED"),
        new("get-missing-order", "Look up an order that does not exist",
            "getOrder for an id no order has: the server answers NOT_FOUND.",
            "Search", ["get", "no-such-order"], "NOT_FOUND"),
    ];
}
