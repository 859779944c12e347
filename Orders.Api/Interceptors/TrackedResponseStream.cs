using Grpc.Core;

namespace Orders.Api.Interceptors;

/// <summary>Counts the messages a handler writes to its response stream, and notes when the stream breaks under it.</summary>
internal sealed class TrackedResponseStream<T>(IServerStreamWriter<T> inner, ServerCallTracker tracker) : IServerStreamWriter<T>
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            tracker.StreamBroken();
            throw;
        }

        tracker.MessageSent();
    }
}
