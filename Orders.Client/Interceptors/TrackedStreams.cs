using Grpc.Core;

namespace Orders.Client.Interceptors;

/// <summary>Counts received messages and ends the tracked call when the response stream ends — the true end of a streaming call.</summary>
internal sealed class TrackedResponseStream<T>(IAsyncStreamReader<T> inner, ClientCallTracker tracker, Func<Status> getStatus) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        try
        {
            if (await inner.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                tracker.MessageReceived();
                return true;
            }

            tracker.End(getStatus());
            return false;
        }
        catch (RpcException ex)
        {
            tracker.End(ex.Status);
            throw;
        }
        catch (OperationCanceledException)
        {
            tracker.End(new Status(StatusCode.Cancelled, "Call canceled by the client."));
            throw;
        }
    }
}

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
