namespace OrdersAspire.Shared;

/// <summary>Request metadata the Orders services understand (docs/contract.md).</summary>
internal static class OrdersHeaders
{
    /// <summary>Correlates one call across client and server logs and spans; the client interceptor sets it when absent.</summary>
    public const string RequestId = "x-request-id";

    /// <summary>Fault injection: delay the handler by this many milliseconds (only when Orders:FaultInjection:Enabled).</summary>
    public const string DelayMs = "x-orders-delay-ms";

    /// <summary>Response trailer: the call sent <see cref="DelayMs"/> while fault injection is off, so no delay was applied.</summary>
    public const string DelayIgnored = "x-orders-delay-ms-ignored";
}
