namespace Orders.Api.Storage;

/// <summary>Which path of the store an operation took: a write can fail (a full disk) while reads still succeed.</summary>
public enum StoreOperation
{
    Read,
    Write,
}

/// <summary>
/// Whether the store answers, as its operations last found it. A store operation that fails as unavailable reports it,
/// one that succeeds reports so: the store going is logged once (Error) and its return once (Information), however many
/// calls fail in between, each of which logs only its own end (Warning). While writes fail, a read that succeeds does not
/// end the outage; a write (a client's, or readiness's probe) does. Until the store is first initialized the state is
/// "starting" and says nothing: <see cref="OrderStoreInitializer"/> logs the start. Cheap on the hot path: an operation
/// that succeeds while the store is available costs one volatile read.
/// </summary>
public sealed partial class OrderStoreAvailability(TimeProvider time, ILogger<OrderStoreAvailability> logger)
{
    private const int Starting = 0;
    private const int Available = 1;
    private const int Unavailable = 2;

    private readonly Lock transitions = new();
    private int state;
    private StoreOperation failedPath;
    private long outageStartTimestamp;
    private int failedOperations;
    private string reason = "";

    /// <summary>True from the first failure as unavailable until an operation of the path that failed succeeds.</summary>
    public bool IsUnavailable => Volatile.Read(ref state) == Unavailable;

    /// <summary>True while writes fail as unavailable: only a write can tell when they work again.</summary>
    public bool WritesFailing
    {
        get
        {
            lock (transitions)
            {
                return state == Unavailable && failedPath == StoreOperation.Write;
            }
        }
    }

    public void ReportSuccess(StoreOperation operation)
    {
        if (Volatile.Read(ref state) != Available)
        {
            BecomeAvailable(operation);
        }
    }

    public void ReportUnavailable(StoreOperation operation, OrderStoreUnavailableException exception)
    {
        lock (transitions)
        {
            switch (state)
            {
                case Starting:
                    // The initializer logs each attempt at start; calls meanwhile fail as "not initialized".
                    return;
                case Unavailable:
                    failedOperations++;
                    failedPath = operation == StoreOperation.Write ? StoreOperation.Write : failedPath;
                    return;
            }

            failedPath = operation;
            outageStartTimestamp = time.GetTimestamp();
            failedOperations = 1;
            // The driver's own words (refused, shut down, disk full); never the connection string, never a stack trace.
            reason = exception.InnerException?.Message ?? exception.Message;
            Volatile.Write(ref state, Unavailable);
            LogWentUnavailable(logger, reason);
        }
    }

    private void BecomeAvailable(StoreOperation operation)
    {
        lock (transitions)
        {
            if (state == Unavailable && failedPath == StoreOperation.Write && operation == StoreOperation.Read)
            {
                return;
            }

            var wasUnavailable = state == Unavailable;
            Volatile.Write(ref state, Available);
            if (wasUnavailable)
            {
                var outage = time.GetElapsedTime(outageStartTimestamp);
                LogAvailableAgain(logger, outage.TotalSeconds, failedOperations, reason);
            }
        }
    }

    [LoggerMessage(EventId = 23, EventName = "OrderStoreWentUnavailable", Level = LogLevel.Error,
        Message = "The order store became unavailable; calls that need it are UNAVAILABLE (each logs a warning) until it answers again. Reason: {Reason}")]
    private static partial void LogWentUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 24, EventName = "OrderStoreAvailableAgain", Level = LogLevel.Information,
        Message = "The order store is available again after {OutageSeconds:0.0} s; {FailedOperations} store operations failed meanwhile. Reason: {Reason}")]
    private static partial void LogAvailableAgain(ILogger logger, double outageSeconds, int failedOperations, string reason);
}
