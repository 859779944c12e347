using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>
/// The store's availability state on its own: what it logs on each transition and nothing else, which successes end
/// an outage, under concurrent reports, and that a success while available costs no allocation.
/// </summary>
public sealed class OrderStoreAvailabilityTests
{
    private static readonly OrderStoreUnavailableException Refused =
        new("The order store is unavailable.", new IOException("Failed to connect to 127.0.0.1:5432"));

    private readonly FakeLogger<OrderStoreAvailability> logger = new();

    [Fact]
    public void BeforeTheFirstSuccess_FailuresAreTheInitializersToLog_AndTheFirstSuccessIsSilentToo()
    {
        var availability = new OrderStoreAvailability(TimeProvider.System, logger);

        availability.ReportUnavailable(StoreOperation.Write, Refused);
        availability.ReportUnavailable(StoreOperation.Read, Refused);
        Assert.False(availability.IsUnavailable);
        availability.ReportSuccess(StoreOperation.Write);

        Assert.Empty(logger.Collector.GetSnapshot());
        Assert.False(availability.IsUnavailable);
    }

    [Fact]
    public void AnOutage_IsOneErrorWithTheReasonWhenItStartsAndOneInformationWhenItEnds_RepeatedReportsLogNothing()
    {
        var availability = Started();

        for (var i = 0; i < 5; i++)
        {
            availability.ReportUnavailable(StoreOperation.Read, Refused);
        }

        Assert.True(availability.IsUnavailable);
        var went = Assert.Single(logger.Collector.GetSnapshot());
        for (var i = 0; i < 5; i++)
        {
            availability.ReportSuccess(StoreOperation.Read);
        }

        Assert.False(availability.IsUnavailable);
        var records = logger.Collector.GetSnapshot();
        Assert.Equal([(LogLevel.Error, 23, "OrderStoreWentUnavailable"), (LogLevel.Information, 24, "OrderStoreAvailableAgain")],
            records.Select(r => (r.Level, r.Id.Id, r.Id.Name!)));
        Assert.All(records, r => Assert.Null(r.Exception));
        Assert.Equal("Failed to connect to 127.0.0.1:5432", went.GetStructuredStateValue("Reason"));
        Assert.Equal("5", records[1].GetStructuredStateValue("FailedOperations"));
        Assert.True(double.Parse(records[1].GetStructuredStateValue("OutageSeconds")!, System.Globalization.CultureInfo.InvariantCulture) >= 0);
    }

    [Fact]
    public void WhileWritesFail_ASuccessfulReadDoesNotEndTheOutage_ASuccessfulWriteDoes()
    {
        var availability = Started();

        availability.ReportUnavailable(StoreOperation.Write, Refused);
        availability.ReportSuccess(StoreOperation.Read);
        availability.ReportSuccess(StoreOperation.Read);

        Assert.True(availability.IsUnavailable);
        Assert.True(availability.WritesFailing);
        Assert.Single(logger.Collector.GetSnapshot());
        availability.ReportSuccess(StoreOperation.Write);
        Assert.False(availability.WritesFailing);
        Assert.Equal([LogLevel.Error, LogLevel.Information], logger.Collector.GetSnapshot().Select(r => r.Level));
    }

    [Fact]
    public void AReadOutage_ThatWritesFailToo_IsEndedOnlyByAWrite()
    {
        var availability = Started();

        availability.ReportUnavailable(StoreOperation.Read, Refused);
        Assert.False(availability.WritesFailing);
        availability.ReportUnavailable(StoreOperation.Write, Refused);
        availability.ReportSuccess(StoreOperation.Read);

        Assert.True(availability.WritesFailing);
        Assert.Single(logger.Collector.GetSnapshot());
    }

    [Fact]
    public async Task ConcurrentReports_LogEachTransitionOnce_AndCountEveryFailure()
    {
        const int Threads = 8;
        const int FailuresEach = 2_000;
        var availability = Started();

        await RunTogetherAsync(Threads, () =>
        {
            for (var i = 0; i < FailuresEach; i++)
            {
                availability.ReportUnavailable(i % 2 == 0 ? StoreOperation.Read : StoreOperation.Write, Refused);
            }
        });
        await RunTogetherAsync(Threads, () =>
        {
            for (var i = 0; i < FailuresEach; i++)
            {
                availability.ReportSuccess(StoreOperation.Write);
            }
        });

        var records = logger.Collector.GetSnapshot();
        Assert.Equal([23, 24], records.Select(r => r.Id.Id));
        Assert.Equal((Threads * FailuresEach).ToString(System.Globalization.CultureInfo.InvariantCulture), records[1].GetStructuredStateValue("FailedOperations"));
    }

    [Fact]
    public void ASuccessWhileAvailable_AllocatesNothing()
    {
        var availability = Started();
        availability.ReportSuccess(StoreOperation.Read);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            availability.ReportSuccess(i % 2 == 0 ? StoreOperation.Read : StoreOperation.Write);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>An available store, as once the initializer's first success is reported.</summary>
    private OrderStoreAvailability Started()
    {
        var availability = new OrderStoreAvailability(TimeProvider.System, logger);
        availability.ReportSuccess(StoreOperation.Write);
        return availability;
    }

    private static async Task RunTogetherAsync(int threads, Action work)
    {
        using var start = new Barrier(threads);
        // Threads of their own: blocked at the barrier, pool threads would wait for the pool to grow.
        await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            work();
        }, TaskCreationOptions.LongRunning)));
    }
}
