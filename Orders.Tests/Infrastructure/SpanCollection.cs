using System.Collections;
using System.Diagnostics;

namespace Orders.Tests.Infrastructure;

/// <summary>A thread-safe target for OpenTelemetry's in-memory exporter: exports and test reads may overlap.</summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> spans = [];

    public int Count
    {
        get
        {
            lock (spans)
            {
                return spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        lock (spans)
        {
            spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (spans)
        {
            spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (spans)
        {
            return spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (spans)
        {
            spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (spans)
        {
            return spans.Remove(item);
        }
    }

    /// <summary>A snapshot, safe to enumerate while spans keep arriving.</summary>
    public IEnumerator<Activity> GetEnumerator()
    {
        lock (spans)
        {
            return spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Waits (bounded) for the first span matching <paramref name="predicate"/>.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> predicate, string description)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var span = this.FirstOrDefault(predicate);
            if (span is not null)
            {
                return span;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No span: {description}.");
    }
}
