using System.Collections.Concurrent;
using Ecommerce;
using Grpc.Core;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// addOrder after addOrder (a pause between them) until stopped, recording every call's start, outcome and the id the
/// server acknowledged: tests that take the store away check what was acknowledged, and when.
/// </summary>
public sealed class AddOrderTraffic : IDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<Outcome> outcomes = new();
    private readonly TimeSpan waitBound;
    private readonly Task running;

    public AddOrderTraffic(OrderManagement.OrderManagementClient client, TimeSpan waitBound)
    {
        this.waitBound = waitBound;
        running = RunAsync(client);
    }

    /// <summary>One addOrder: when it started and ended, its status, and the id when it was acknowledged.</summary>
    public sealed record Outcome(DateTime StartedUtc, DateTime EndedUtc, StatusCode Status, string? Id);

    public IReadOnlyCollection<Outcome> Outcomes => outcomes;

    public IEnumerable<string> Acknowledged => outcomes.Where(o => o.Id is not null).Select(o => o.Id!);

    public RpcException? FirstUnavailable { get; private set; }

    public int Count(StatusCode status) => outcomes.Count(o => o.Status == status);

    public async Task WaitForAsync(StatusCode status, int count, string what) =>
        Assert.True(
            await Eventually.WithinAsync(() => Count(status) >= count || running.IsCompleted, waitBound, TimeSpan.FromMilliseconds(50))
            && !running.IsCompleted,
            $"Not seen within {waitBound}: {count} × {status}, {what}. Outcomes: {string.Join(", ", outcomes.CountBy(o => o.Status))}");

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await running;
    }

    public void Dispose() => stop.Dispose();

    private async Task RunAsync(OrderManagement.OrderManagementClient client)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var started = DateTime.UtcNow;
            try
            {
                var id = await client.addOrderAsync(
                    new Order { Items = { $"Written during the outage test #{i}" }, Price = 1, Destination = "here" },
                    deadline: DateTime.UtcNow.AddSeconds(10));
                outcomes.Enqueue(new Outcome(started, DateTime.UtcNow, StatusCode.OK, id.Value));
            }
            catch (RpcException ex)
            {
                if (ex.StatusCode == StatusCode.Unavailable)
                {
                    FirstUnavailable ??= ex;
                }

                outcomes.Enqueue(new Outcome(started, DateTime.UtcNow, ex.StatusCode, null));
            }

            await Task.Delay(Pause, CancellationToken.None);
        }
    }
}
