using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Testing;
using Orders.Tests.Infrastructure;
using Orders.Api.Options;
using Orders.Api.Storage;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orders.Tests.Api;

/// <summary>
/// The initializer and the store's health check in process, over a store whose initialization fails as each test
/// scripts it (the real processes and a real PostgreSQL coming and going are in <see cref="StoreOutageTests"/>).
/// </summary>
public sealed class OrderStoreInitializerTests
{
    private static readonly Func<Exception> NotUsed = () => new NotSupportedException();

    [Fact]
    public async Task AStoreThatAnswersLateIsInitializedInTheBackground_EachAttemptLoggedWithItsReason_ThenNoMoreAttempts()
    {
        Exception?[] script =
        [
            new OrderStoreUnavailableException("The order store is unavailable.", new IOException("Connection refused")),
            new OrderStoreUnavailableException("The database \"orders\" does not exist."),
            new InvalidOperationException("permission denied for schema public"),
            null,
        ];
        var seeding = new List<bool>();
        var initialized = new TaskCompletionSource();
        var store = new FailingOrderStore(NotUsed, seed =>
        {
            seeding.Add(seed);
            if (script[seeding.Count - 1] is { } failure)
            {
                throw failure;
            }

            initialized.SetResult();
            return Task.CompletedTask;
        });
        var logger = new FakeLogger<OrderStoreInitializer>();
        using var initializer = Initializer(store, logger);

        await initializer.StartAsync(CancellationToken.None);
        await initialized.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // At the 100 ms cap, a loop that went on after success would have tried several times more by now.
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        await initializer.StopAsync(CancellationToken.None);

        Assert.Equal([true, true, true, true], seeding);
        var records = logger.Collector.GetSnapshot();
        Assert.Equal(
            ["OrderStoreUnavailableAtStart", "OrderStoreUnavailableAtStart", "OrderStoreInitializationFailed", "OrderStoreInitialized"],
            records.Select(r => r.Id.Name));
        Assert.Equal(["1", "2", "3", "4"], records.Select(r => r.GetStructuredStateValue("Attempt")));
        // The cause when there is one, the store's own words otherwise.
        Assert.Equal(["Connection refused", "The database \"orders\" does not exist"], records.Take(2).Select(r => r.GetStructuredStateValue("Reason")));
        Assert.IsType<InvalidOperationException>(records[2].Exception);
    }

    [Fact]
    public async Task AStoreThatAnswersAtStartIsInitializedOnce_WithNothingLogged()
    {
        var attempts = 0;
        var store = new FailingOrderStore(NotUsed, _ =>
        {
            attempts++;
            return Task.CompletedTask;
        });
        var logger = new FakeLogger<OrderStoreInitializer>();
        using var initializer = Initializer(store, logger);

        await initializer.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        await initializer.StopAsync(CancellationToken.None);

        Assert.Equal(1, attempts);
        Assert.Empty(logger.Collector.GetSnapshot());
    }

    [Fact]
    public async Task StoppingEndsTheRetries()
    {
        var (store, attempts) = NeverAvailable();
        using var initializer = Initializer(store, new FakeLogger<OrderStoreInitializer>());

        await initializer.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(attempts()), n => n >= 3, "three attempts", timeoutSeconds: 30);
        await initializer.StopAsync(CancellationToken.None);
        var afterStop = attempts();
        await Task.Delay(TimeSpan.FromMilliseconds(400));

        Assert.Equal(afterStop, attempts());
    }

    [Fact]
    public async Task DisposingEndsTheRetries_AndAStopAfterwardsIsHarmless()
    {
        var (store, attempts) = NeverAvailable();
        var initializer = Initializer(store, new FakeLogger<OrderStoreInitializer>());

        await initializer.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(attempts()), n => n >= 2, "two attempts", timeoutSeconds: 30);
        initializer.Dispose();
        await initializer.StopAsync(CancellationToken.None);
        var afterDispose = attempts();
        await Task.Delay(TimeSpan.FromMilliseconds(400));

        Assert.Equal(afterDispose, attempts());
    }

    [Fact]
    public async Task TheHealthCheckGivesTheReasonTheStoreIsUnavailable()
    {
        var withCause = new OrderStoreHealthCheck(new FailingOrderStore(
            () => new OrderStoreUnavailableException("The order store is unavailable.", new IOException("Connection refused"))));
        var withoutCause = new OrderStoreHealthCheck(new FailingOrderStore(
            () => new OrderStoreUnavailableException("The order store is not initialized yet.")));

        var refused = await withCause.CheckHealthAsync(new HealthCheckContext());
        var uninitialized = await withoutCause.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Unhealthy, "The order store is unavailable: Connection refused"), (refused.Status, refused.Description));
        Assert.Equal("The order store is unavailable: The order store is not initialized yet.", uninitialized.Description);
    }

    /// <summary>A store that never answers, and how many times it was asked to initialize so far.</summary>
    private static (FailingOrderStore Store, Func<int> Attempts) NeverAvailable()
    {
        var attempts = 0;
        var store = new FailingOrderStore(NotUsed, _ =>
        {
            Interlocked.Increment(ref attempts);
            throw new OrderStoreUnavailableException("The order store is unavailable.");
        });
        return (store, () => Volatile.Read(ref attempts));
    }

    private static OrderStoreInitializer Initializer(IOrderStore store, FakeLogger<OrderStoreInitializer> logger) =>
        new(store, MsOptions.Create(new OrdersOptions { SeedSampleData = true, Storage = { MaxInitializeRetryDelayMs = 100 } }), TimeProvider.System, logger);
}
