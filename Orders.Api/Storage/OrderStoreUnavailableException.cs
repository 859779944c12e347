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
}
