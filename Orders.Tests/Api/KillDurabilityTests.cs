using System.Collections.Concurrent;
using System.Diagnostics;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Orders.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orders.Tests.Api;

/// <summary>
/// The real Orders.Api killed with SIGKILL in the middle of concurrent addOrder and updateOrders traffic, then
/// restarted on the same store, a few rounds over: every write it acknowledged is there with its content, and every
/// updateOrders batch it did not acknowledge is there whole or not at all.
/// </summary>
[Collection(PostgresServerDefinition.Name)]
[Requires(Need.PostgreSql)]
public sealed class KillDurabilityTests(PostgresServer postgres, ITestOutputHelper output)
{
    private int unacknowledgedAdds;

    private const int Rounds = 3;
    private const int Writers = 6;
    private const int AcknowledgedBeforeKill = 40;
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Sqlite_NoAcknowledgedWriteIsLostToAKill()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("orders-kill-").FullName;
        try
        {
            await RunRoundsAsync(dataDirectory, environment: null);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_NoAcknowledgedWriteIsLostToAKill()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("orders-kill-").FullName;
        var environment = new Dictionary<string, string> { ["ConnectionStrings__orders"] = postgres.ConnectionString(await postgres.CreateDatabaseAsync()) };
        try
        {
            await RunRoundsAsync(dataDirectory, environment);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private async Task RunRoundsAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var clock = Stopwatch.StartNew();
        var acknowledged = new ConcurrentDictionary<string, Order>();
        var unacknowledgedBatches = new ConcurrentBag<Order[]>();
        for (var round = 0; round <= Rounds; round++)
        {
            await using var api = await OrdersApiProcess.StartAsync(faultInjection: false, seedSampleData: false, environment: environment, dataDirectory: dataDirectory);
            await AssertDurableAsync(api, acknowledged, unacknowledgedBatches, round);
            if (round < Rounds)
            {
                await WriteUntilKilledAsync(api, $"r{round}", acknowledged, unacknowledgedBatches);
            }
        }

        output.WriteLine($"{Rounds} kills: {acknowledged.Count} acknowledged writes checked; unacknowledged calls: {unacknowledgedAdds} addOrder, {unacknowledgedBatches.Count} updateOrders (each batch all or nothing); {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Concurrent writers until <see cref="AcknowledgedBeforeKill"/> writes are acknowledged, then SIGKILL with their last calls in flight.</summary>
    private async Task WriteUntilKilledAsync(
        OrdersApiProcess api, string round, ConcurrentDictionary<string, Order> acknowledged, ConcurrentBag<Order[]> unacknowledgedBatches)
    {
        using var channel = api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        var acknowledgedThisRound = 0;
        using var stopWriting = new CancellationTokenSource();

        async Task WriteAsync(int writer)
        {
            for (var n = 0; !stopWriting.IsCancellationRequested; n++)
            {
                var content = new Order { Items = { $"{round} item {writer}-{n}", "second item" }, Description = $"{round} writer {writer} #{n}", Price = writer + n / 100f, Destination = $"dock {writer}" };
                if (n % 2 == 0)
                {
                    if (await TryAsync(async () => (await client.addOrderAsync(content, deadline: DateTime.UtcNow + CallDeadline)).Value) is { } id)
                    {
                        acknowledged[id] = new Order(content) { Id = id };
                        Interlocked.Increment(ref acknowledgedThisRound);
                    }
                    else
                    {
                        Interlocked.Increment(ref unacknowledgedAdds);
                    }

                    continue;
                }

                Order[] batch = [.. Enumerable.Range(0, 3).Select(k => new Order(content) { Id = $"{round}-{writer}-{n}-{k}", Price = k })];
                if (await TryAsync(() => UpdateAsync(client, batch)) is null)
                {
                    unacknowledgedBatches.Add(batch);
                    continue;
                }

                foreach (var order in batch)
                {
                    acknowledged[order.Id] = order;
                }

                Interlocked.Add(ref acknowledgedThisRound, batch.Length);
            }
        }

        var writers = Enumerable.Range(0, Writers).Select(WriteAsync).ToArray();
        Assert.True(
            await Eventually.WithinAsync(() => Volatile.Read(ref acknowledgedThisRound) >= AcknowledgedBeforeKill, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(5)),
            $"Round {round}: only {acknowledgedThisRound} writes acknowledged before the kill.");
        // Writers start no new call from here; the ones in flight meet the kill.
        await stopWriting.CancelAsync();
        await api.KillAsync();
        await Task.WhenAll(writers);
    }

    private static async Task<string> UpdateAsync(OrderManagement.OrderManagementClient client, Order[] batch)
    {
        using var call = client.updateOrders(deadline: DateTime.UtcNow + CallDeadline);
        foreach (var order in batch)
        {
            await call.RequestStream.WriteAsync(order);
        }

        await call.RequestStream.CompleteAsync();
        return (await call).Value;
    }

    /// <summary>The call's result, or null when it failed (the kill, or anything else: either way it was not acknowledged).</summary>
    private static async Task<string?> TryAsync(Func<Task<string>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // A stream write after the connection died.
            return null;
        }
    }

    private static async Task AssertDurableAsync(OrdersApiProcess api, ConcurrentDictionary<string, Order> acknowledged, ConcurrentBag<Order[]> unacknowledgedBatches, int round)
    {
        using var channel = api.CreateChannel();
        using var search = new OrderManagement.OrderManagementClient(channel).searchOrders(new StringValue { Value = "" });
        var stored = new Dictionary<string, Order>();
        await foreach (var order in search.ResponseStream.ReadAllAsync())
        {
            stored[order.Id] = order;
        }

        var lost = acknowledged.Where(pair => !stored.TryGetValue(pair.Key, out var order) || !order.Equals(pair.Value)).Select(pair => pair.Key).ToList();
        Assert.True(lost.Count == 0, $"After kill {round}: {lost.Count} of {acknowledged.Count} acknowledged writes lost or changed, e.g. {string.Join(", ", lost.Take(5))}.");
        var torn = unacknowledgedBatches.Where(batch => batch.Count(order => stored.ContainsKey(order.Id)) is not (0 or 3)).ToList();
        Assert.True(torn.Count == 0, $"After kill {round}: {torn.Count} updateOrders batches stored in part, e.g. {torn.FirstOrDefault()?[0].Id}.");
    }
}
