using Grpc.Core;

namespace Orders.Api.Interceptors;

/// <summary>Counts the messages a handler reads from its request stream.</summary>
internal sealed class CountingStreamReader<T>(IAsyncStreamReader<T> inner, ServerCallObservation call) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var hasMessage = await inner.MoveNext(cancellationToken);
        if (hasMessage)
        {
            call.MessageReceived();
        }

        return hasMessage;
    }
}
