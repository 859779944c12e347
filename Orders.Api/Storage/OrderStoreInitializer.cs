using Microsoft.Extensions.Options;
using Orders.Api.Options;
using Orders.Api.Services;

namespace Orders.Api.Storage;

/// <summary>
/// Creates the schema (and seeds) as soon as the store answers: before Kestrel accepts the first call when it already
/// does, otherwise in the background with a capped exponential backoff. Until then the service is up, /health and
/// grpc.health.v1 report the store unhealthy and calls are UNAVAILABLE (the store refuses them until initialized).
/// </summary>
public sealed partial class OrderStoreInitializer(
    IOrderStore store,
    IOptions<OrdersOptions> options,
    TimeProvider time,
    ILogger<OrderStoreInitializer> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task retrying = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TryInitializeAsync(attempt: 1, cancellationToken))
        {
            retrying = RetryAsync(stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Nothing to stop once the store is initialized; a host may also stop its services again after disposing them.
        if (retrying.IsCompleted)
        {
            return;
        }

        await stopping.CancelAsync();
        await retrying.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // Disposed without a stop (a host that failed to start), the retries must not outlive the service. The source is
    // cancelled, not disposed: it holds no timer, and a host may still call StopAsync afterwards.
    public void Dispose() => stopping.Cancel();

    /// <summary>The wait before attempt number <paramref name="attempt"/> (2, 3, …): the clients' retry delay, doubling up to the cap.</summary>
    public static TimeSpan RetryDelay(int attempt, TimeSpan cap)
    {
        var doubled = RpcErrors.StoreRetryDelay * Math.Pow(2, Math.Min(attempt - 2, 30));
        return doubled < cap ? doubled : cap;
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        var cap = TimeSpan.FromMilliseconds(options.Value.Storage.MaxInitializeRetryDelayMs);
        for (var attempt = 2; ; attempt++)
        {
            await Task.Delay(RetryDelay(attempt, cap), time, cancellationToken);
            if (await TryInitializeAsync(attempt, cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<bool> TryInitializeAsync(int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await store.InitializeAsync(options.Value.SeedSampleData, cancellationToken);
            if (attempt > 1)
            {
                LogInitializedAfterRetries(logger, attempt);
            }

            return true;
        }
        catch (OrderStoreUnavailableException ex)
        {
            // The message names the cause (refused, authentication, missing database); the connection string is never in it.
            LogStoreUnavailable(logger, attempt, (ex.InnerException?.Message ?? ex.Message).TrimEnd('.'));
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // E.g. no permission to create the tables: an operator can fix that without restarting the service.
            LogInitializationFailed(logger, ex, attempt);
            return false;
        }
    }

    [LoggerMessage(EventId = 20, EventName = "OrderStoreUnavailableAtStart", Level = LogLevel.Warning,
        Message = "The order store could not be initialized (attempt {Attempt}): {Reason}. Calls are UNAVAILABLE until it is; retrying in the background")]
    private static partial void LogStoreUnavailable(ILogger logger, int attempt, string reason);

    [LoggerMessage(EventId = 21, EventName = "OrderStoreInitializationFailed", Level = LogLevel.Error,
        Message = "The order store could not be initialized (attempt {Attempt}). Calls are UNAVAILABLE until it is; retrying in the background")]
    private static partial void LogInitializationFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 22, EventName = "OrderStoreInitialized", Level = LogLevel.Information,
        Message = "The order store is initialized after {Attempt} attempts; serving calls")]
    private static partial void LogInitializedAfterRetries(ILogger logger, int attempt);
}
