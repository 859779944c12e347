namespace OrdersAspire.AppHost.Hosting.Orchestration;

public sealed record ConsoleLine(long LineNumber, DateTimeOffset Timestamp, string Text, bool IsError);

/// <summary>The last lines a replica wrote to stdout/stderr, bounded, kept across restarts so a crash stays visible.</summary>
internal sealed class ConsoleLog(int capacity = 2000)
{
    private readonly Queue<ConsoleLine> lines = new();
    private readonly Broadcaster<ConsoleLine> changes = new();
    private long lineNumber;

    public void Add(string text, bool isError, DateTimeOffset timestamp)
    {
        var line = new ConsoleLine(Interlocked.Increment(ref lineNumber), timestamp, text, isError);
        changes.Publish(() =>
        {
            lock (lines)
            {
                if (lines.Count == capacity)
                {
                    lines.Dequeue();
                }

                lines.Enqueue(line);
            }

            return line;
        });
    }

    public IReadOnlyList<ConsoleLine> Tail(int count) => [.. Snapshot().TakeLast(count)];

    public IAsyncEnumerable<ConsoleLine> WatchAsync(CancellationToken cancellationToken) => changes.WatchAsync(Snapshot, cancellationToken);

    /// <summary>The replica will write no more (the AppHost has stopped it for good): watchers' streams end.</summary>
    public void Complete() => changes.Complete();

    private ConsoleLine[] Snapshot()
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
