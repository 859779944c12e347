namespace OrdersAspire.GrpcInsights.Store;

/// <summary>Where a cancelled call stopped: the moment and the stream position recorded by the "rpc.cancelled" event.</summary>
public sealed record CancellationPoint(TimeSpan After, long? MessagesReceived, long? MessagesSent);

/// <summary>One gRPC call as both sides saw it: the client span joined with the (deepest) server span below it.</summary>
public sealed record GrpcCall
{
    public required string TraceId { get; init; }
    public required string Method { get; init; }
    public string? CallType { get; init; }
    public required string Status { get; init; }
    public DateTime Start { get; init; }
    public SpanData? Client { get; init; }
    public SpanData? Server { get; init; }
    /// <summary>The budget the client gave the call: its deadline less the call's start (the client span's rpc.grpc.deadline_ms).</summary>
    public double? ClientDeadlineMs { get; init; }
    /// <summary>The budget left when the server's handler started (the server span's rpc.grpc.deadline_ms).</summary>
    public double? ServerDeadlineMs { get; init; }
    public long? MessagesReceived { get; init; }
    public long? MessagesSent { get; init; }
    public bool HandlerCancelled { get; init; }
    /// <summary>The x-request-id the client sent (orders.request_id), to find the call's log lines in Aspire's dashboard.</summary>
    public string? RequestId { get; init; }
    public CancellationPoint? CancelledAt { get; init; }
    /// <summary>The request as Orders.Api recorded it when it captured messages; null otherwise.</summary>
    public RecordedRequest? Request { get; init; }

    /// <summary>The call's deadline budget as the server measured it: its arrival budget, else the client's.</summary>
    public double? DeadlineMs => ServerDeadlineMs ?? ClientDeadlineMs;

    /// <summary>Time the server spent (falls back to the client's view when the server span is missing).</summary>
    public TimeSpan Used => (Server ?? Client)!.Duration;

    /// <summary>Time the caller waited: the client's span, else the server's. A deadline bounds this wait.</summary>
    public TimeSpan Waited => (Client ?? Server)!.Duration;

    /// <summary>
    /// The part of the client's budget gone before the server's span started (Orders.Api's: when ASP.NET Core began the
    /// request): network, connection set-up, queueing.
    /// Read from the two spans' starts, since grpc-timeout is relative and the server's deadline restarts on arrival;
    /// at least 0 (the hosts' clocks may disagree) and at most the client's budget. Null without both spans or the client's deadline.
    /// </summary>
    public double? BudgetSpentInTransitMs => Client is { } client && Server is { } server && ClientDeadlineMs is { } budget
        ? Math.Max(0, Math.Min((server.Start - client.Start).TotalMilliseconds, budget))
        : null;

    /// <summary>Share of the deadline budget the server used; above 1 means the deadline was blown.</summary>
    public double? BudgetUsed => DeadlineMs is > 0 ? Used.TotalMilliseconds / DeadlineMs : null;

    /// <summary>The call used its whole deadline budget or more.</summary>
    public bool OverBudget => BudgetUsed >= 1;
}
