namespace Orders.Api.Storage;

/// <summary>The store could not be reached or is busy; the call may succeed when retried.</summary>
public sealed class OrderStoreUnavailableException : Exception
{
    public OrderStoreUnavailableException()
    {
    }

    public OrderStoreUnavailableException(string message) : base(message)
    {
    }

    public OrderStoreUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Why, in words the caller may read too (a SQLite file gone from its path); null when the cause is the driver's to tell.</summary>
    public string? CallerReason { get; init; }
}
