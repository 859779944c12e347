using System.Collections.Concurrent;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// One call after another (a pause between them) until stopped — addOrder (<see cref="Writes"/>) or getOrder of one id
/// (<see cref="Reads"/>) — recording each call's start, end, status and the id the server acknowledged: tests that take
/// the store away check what was acknowledged, and when.
/// </summary>
public sealed class OrderTraffic : IDisposable
{
    public static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<Outcome> outcomes = new();
    private readonly Task running;

    private OrderTraffic(Func<int, Task<string>> call) => running = RunAsync(call);

    /// <summary>One call: when it started and ended, its status (and its message when it failed), and the id when it was acknowledged.</summary>
    public sealed record Outcome(DateTime StartedUtc, DateTime EndedUtc, StatusCode Status, string? Id, string? Detail = null);

    public IReadOnlyCollection<Outcome> Outcomes => outcomes;

    /// <summary>The ids of the orders the server said it stored (writes), or returned (reads).</summary>
    public IReadOnlyList<string> Acknowledged => [.. outcomes.Where(o => o.Id is not null).Select(o => o.Id!)];

    public RpcException? FirstUnavailable { get; private set; }

    public static OrderTraffic Writes(OrderManagement.OrderManagementClient client) => new(async i =>
        (await client.addOrderAsync(
            new Order { Items = { $"Written during the outage test #{i}" }, Price = 1, Destination = "here" },
            deadline: DateTime.UtcNow.AddSeconds(10))).Value);

    public static OrderTraffic Reads(OrderManagement.OrderManagementClient client, string id) => new(async _ =>
        (await client.getOrderAsync(new StringValue { Value = id }, deadline: DateTime.UtcNow.AddSeconds(10))).Id);

    public int Count(StatusCode status) => outcomes.Count(o => o.Status == status);

    /// <summary>How many calls ended with each status, for failure messages and test output.</summary>
    public string Summary() => string.Join(", ", outcomes.CountBy(o => o.Status));

    public async Task WaitForAsync(StatusCode status, int count, string what) =>
        Assert.True(
            await Eventually.WithinAsync(() => Count(status) >= count || running.IsCompleted, WaitBound, TimeSpan.FromMilliseconds(50))
            && !running.IsCompleted,
            $"Not seen within {WaitBound}: {count} × {status}, {what}. Outcomes: {Summary()}");

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await running;
    }

    public void Dispose() => stop.Dispose();

    private async Task RunAsync(Func<int, Task<string>> call)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var started = DateTime.UtcNow;
            try
            {
                var id = await call(i);
                outcomes.Enqueue(new Outcome(started, DateTime.UtcNow, StatusCode.OK, id));
            }
            catch (RpcException ex)
            {
                if (ex.StatusCode == StatusCode.Unavailable)
                {
                    FirstUnavailable ??= ex;
                }

                outcomes.Enqueue(new Outcome(started, DateTime.UtcNow, ex.StatusCode, null, ex.Status.Detail));
            }

            await Task.Delay(Pause, CancellationToken.None);
        }
    }
}
