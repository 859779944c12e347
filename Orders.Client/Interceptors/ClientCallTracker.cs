using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using OrdersAspire.Shared;

namespace Orders.Client.Interceptors;

/// <summary>One outbound call's bookkeeping: counts messages and reports the outcome exactly once, when the call really ends.</summary>
internal sealed class ClientCallTracker(
    IMethod method,
    TimeSpan deadlineBudget,
    string requestId,
    Metadata headers,
    ClientCallMetrics metrics,
    ILogger logger)
{
    private readonly long startedAt = Stopwatch.GetTimestamp();
    private int messagesSent;
    private int messagesReceived;
    private int ended;

    /// <summary>The time the call was given: its deadline less the moment it started.</summary>
    public TimeSpan DeadlineBudget => deadlineBudget;

    public void MessageSent() => Interlocked.Increment(ref messagesSent);

    public void MessageReceived() => Interlocked.Increment(ref messagesReceived);

    public async Task<TResponse> TrackResponse<TResponse>(Task<TResponse> response)
    {
        try
        {
            var message = await response.ConfigureAwait(false);
            MessageReceived();
            End(Status.DefaultSuccess);
            return message;
        }
        catch (RpcException ex)
        {
            End(ex.Status);
            throw;
        }
        catch (OperationCanceledException)
        {
            End(new Status(StatusCode.Cancelled, "Call canceled by the client."));
            throw;
        }
    }

    public void End(Status status)
    {
        if (Interlocked.Exchange(ref ended, 1) == 1)
        {
            return;
        }

        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        var callType = RpcCallTypes.Of(method.Type);
        metrics.Record(method, callType, status.StatusCode, elapsed, messagesSent, messagesReceived);
        var level = status.StatusCode == StatusCode.OK ? LogLevel.Information : LogLevel.Warning;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var rpcMethod = method.FullName.TrimStart('/');
        var statusCode = GrpcStatusNames.Of((int)status.StatusCode);
        // Names only, and only when the line is written: values may be secrets (authorization, cookies, binary tokens).
        var metadataNames = string.Join(", ", headers.Select(h => h.Key));
        var elapsedMs = elapsed.TotalMilliseconds;
        if (string.IsNullOrEmpty(status.Detail))
        {
            ClientCallLog.CallEnded(
                logger, level, rpcMethod, callType, statusCode, elapsedMs, deadlineBudget.TotalMilliseconds, messagesSent, messagesReceived, requestId, metadataNames);
        }
        else
        {
            // The server's text: printable, as the server's own log writes it.
            var detail = PrintableText.Escape(status.Detail);
            ClientCallLog.CallFailed(
                logger, level, rpcMethod, callType, statusCode, detail, elapsedMs, deadlineBudget.TotalMilliseconds, messagesSent, messagesReceived, requestId, metadataNames);
        }
    }
}
