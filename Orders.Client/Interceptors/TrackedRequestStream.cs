using Grpc.Core;

namespace Orders.Client.Interceptors;

/// <summary>Counts the messages a client-streaming or duplex call sends.</summary>
internal sealed class TrackedRequestStream<T>(IClientStreamWriter<T> inner, ClientCallTracker tracker) : IClientStreamWriter<T>
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public async Task WriteAsync(T message)
    {
        await inner.WriteAsync(message).ConfigureAwait(false);
        tracker.MessageSent();
    }

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        tracker.MessageSent();
    }

    public Task CompleteAsync() => inner.CompleteAsync();
}
