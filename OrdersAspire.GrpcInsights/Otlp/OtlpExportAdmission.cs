using OrdersAspire.GrpcInsights.Configuration;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>
/// Admits at most <see cref="OtlpOptions.MaxConcurrentExports"/> exports at once, over all three transports, so the
/// memory that reading and parsing them takes is bounded; up to <see cref="OtlpOptions.MaxQueuedExports"/> more wait
/// up to <see cref="OtlpOptions.ExportQueueTimeout"/> for a slot, and the rest are refused. Counted since start.
/// </summary>
public sealed class OtlpExportAdmission : IDisposable
{
    private readonly SemaphoreSlim slots;
    private readonly TimeSpan queueTimeout;
    private int waiting;
    private long queued;
    private long rejected;

    public OtlpExportAdmission(OtlpOptions options)
    {
        MaxInFlight = options.MaxConcurrentExports;
        MaxQueued = options.MaxQueuedExports;
        queueTimeout = options.ExportQueueTimeout;
        slots = new SemaphoreSlim(MaxInFlight, MaxInFlight);
    }

    public int MaxInFlight { get; }
    public int MaxQueued { get; }

    /// <summary>Exports being read, parsed and stored now.</summary>
    public int InFlight => MaxInFlight - slots.CurrentCount;

    /// <summary>Exports waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Exports that had to wait for a slot and got one, since start.</summary>
    public long Queued => Interlocked.Read(ref queued);

    /// <summary>Exports refused because every slot stayed taken (queue full, or no slot within the timeout), since start.</summary>
    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>A slot, to dispose of when the export is answered; null when the export is refused.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken cancellationToken)
    {
        if (slots.Wait(0, CancellationToken.None))
        {
            return Admitted();
        }

        if (Interlocked.Increment(ref waiting) > MaxQueued)
        {
            Interlocked.Decrement(ref waiting);
            Interlocked.Increment(ref rejected);
            return null;
        }

        bool entered;
        try
        {
            entered = await slots.WaitAsync(queueTimeout, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }

        if (!entered)
        {
            Interlocked.Increment(ref rejected);
            return null;
        }

        Interlocked.Increment(ref queued);
        return Admitted();
    }

    public void Dispose() => slots.Dispose();

    private Slot Admitted() => new(this);

    private sealed class Slot(OtlpExportAdmission admission) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                admission.slots.Release();
            }
        }
    }
}
