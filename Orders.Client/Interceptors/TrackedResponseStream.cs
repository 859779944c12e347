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
