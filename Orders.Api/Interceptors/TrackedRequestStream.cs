using Grpc.Core;

namespace Orders.Api.Interceptors;

/// <summary>Counts (and, when asked, records) the messages a handler reads from its request stream, and notes when the stream breaks under it.</summary>
internal sealed class TrackedRequestStream<T>(IAsyncStreamReader<T> inner, ServerCallTracker tracker) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        bool hasMessage;
        try
        {
            hasMessage = await inner.MoveNext(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            tracker.StreamBroken();
            throw;
        }

        if (hasMessage)
        {
            tracker.MessageReceived();
            tracker.CaptureRequest(inner.Current);
        }

        return hasMessage;
    }
}
