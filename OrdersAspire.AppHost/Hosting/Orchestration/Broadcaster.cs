using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>
/// Fans changes out to watchers: each watcher first gets the current state, then every later change, with no gap
/// or duplicate because recording a change and subscribing share one lock.
/// </summary>
internal sealed class Broadcaster<T> where T : class
{
    // A watcher that stops reading loses its oldest items instead of growing the AppHost's memory.
    private const int WatcherCapacity = 10_000;

    private readonly Lock gate = new();
    private readonly List<ChannelWriter<T>> watchers = [];
    private bool completed;

    /// <summary>Runs <paramref name="record"/> under the lock; the item it returns (null: nothing changed) goes to every watcher.</summary>
    public void Publish(Func<T?> record)
    {
        lock (gate)
        {
            if (record() is not { } item)
            {
                return;
            }

            foreach (var watcher in watchers)
            {
                watcher.TryWrite(item);
            }
        }
    }

    /// <summary>Ends every watcher's stream once it has read what is queued; later watchers get the current state only.</summary>
    public void Complete()
    {
        lock (gate)
        {
            completed = true;
            foreach (var watcher in watchers)
            {
                watcher.TryComplete();
            }
        }
    }

    public async IAsyncEnumerable<T> WatchAsync(Func<IEnumerable<T>> current, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(WatcherCapacity) { FullMode = BoundedChannelFullMode.DropOldest });
        List<T> initial;
        lock (gate)
        {
            initial = [.. current()];
            watchers.Add(channel.Writer);
            if (completed)
            {
                channel.Writer.TryComplete();
            }
        }

        try
        {
            foreach (var item in initial)
            {
                yield return item;
            }

            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            lock (gate)
            {
                watchers.Remove(channel.Writer);
            }
        }
    }
}
