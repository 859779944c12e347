using System.Collections.Concurrent;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// One call after another (a pause between them) until stopped, recording every outcome and every id the server
/// acknowledged: addOrder (<see cref="Writes"/>) or getOrder of one id (<see cref="Reads"/>).
/// </summary>
public sealed class OrderTraffic : IDisposable
{
    public static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<StatusCode> outcomes = new();
    private readonly ConcurrentQueue<string> acknowledged = new();
    private readonly Task running;

    private OrderTraffic(Func<int, Task<string>> call) => running = RunAsync(call);

    public IReadOnlyCollection<StatusCode> Outcomes => outcomes;

    /// <summary>The ids of the orders the server said it stored (writes), or returned (reads).</summary>
    public IReadOnlyCollection<string> Acknowledged => acknowledged;

    public RpcException? FirstUnavailable { get; private set; }

    public static OrderTraffic Writes(OrderManagement.OrderManagementClient client) => new(async i =>
        (await client.addOrderAsync(
            new Order { Items = { $"Written during the outage test #{i}" }, Price = 1, Destination = "here" },
            deadline: DateTime.UtcNow.AddSeconds(10))).Value);

    public static OrderTraffic Reads(OrderManagement.OrderManagementClient client, string id) => new(async _ =>
        (await client.getOrderAsync(new StringValue { Value = id }, deadline: DateTime.UtcNow.AddSeconds(10))).Id);

    public int Count(StatusCode status) => outcomes.Count(s => s == status);

    public async Task WaitForAsync(StatusCode status, int count, string what) =>
        Assert.True(
            await Eventually.WithinAsync(() => Count(status) >= count || running.IsCompleted, WaitBound, TimeSpan.FromMilliseconds(50))
            && !running.IsCompleted,
            $"Not seen within {WaitBound}: {count} × {status}, {what}. Outcomes: {string.Join(", ", outcomes.CountBy(s => s))}");

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
            try
            {
                acknowledged.Enqueue(await call(i));
                outcomes.Enqueue(StatusCode.OK);
            }
            catch (RpcException ex)
            {
                if (ex.StatusCode == StatusCode.Unavailable)
                {
                    FirstUnavailable ??= ex;
                }

                outcomes.Enqueue(ex.StatusCode);
            }

            await Task.Delay(Pause, CancellationToken.None);
        }
    }
}
