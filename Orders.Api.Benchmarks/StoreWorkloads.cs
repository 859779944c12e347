using System.Diagnostics;
using System.Globalization;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Orders.Api.Benchmarks;

/// <summary>One round of one measure: a rate (in the measure's unit per second), latencies where calls are many, what was done.</summary>
internal sealed record MeasureRun(double Rate, double P50Ms, double P99Ms, long Failures, string Done);

/// <summary>
/// The write and streaming calls driven from .NET (h2load sends one message per call): the store's orders, the four
/// measures over them, each bounded in time and reporting what it did within that time.
/// </summary>
internal static class StoreWorkloads
{
    /// <summary>Every stored benchmark order has an item with this in it, and no sample or added order has.</summary>
    public const string SearchQuery = "Bench item";

    public const int AddOrderCallers = 16;
    public const int ProcessStreams = 4;

    /// <summary>A bound on one updateOrders call: it is atomic, so it either finishes or does nothing.</summary>
    private static readonly TimeSpan UpdateDeadline = TimeSpan.FromSeconds(120);

    private static readonly string[] Destinations = ["Mountain View, CA", "San Jose, CA", "Seattle, WA", "Austin, TX", "Boston, MA", "Denver, CO", "Chicago, IL", "Miami, FL"];

    private static readonly Order AddedOrder = new() { Items = { "Added widget" }, Price = 1, Destination = "Loopback" };

    /// <summary>Stores <paramref name="count"/> benchmark orders in updateOrders calls of <paramref name="perCall"/>.</summary>
    public static async Task FillAsync(OrderManagement.OrderManagementClient client, int count, int perCall)
    {
        for (var first = 0; first < count; first += perCall)
        {
            var run = await UpdateOrdersAsync(client, first, Math.Min(perCall, count - first));
            if (run.Failures > 0)
            {
                throw new InvalidOperationException($"Filling the store failed: {run.Done}");
            }
        }
    }

    /// <summary>One updateOrders call upserting <paramref name="count"/> stored orders: orders/s from the first write to the reply.</summary>
    public static async Task<MeasureRun> UpdateOrdersAsync(OrderManagement.OrderManagementClient client, int first, int count)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var call = client.updateOrders(deadline: DateTime.UtcNow + UpdateDeadline);
            for (var i = first; i < first + count; i++)
            {
                await call.RequestStream.WriteAsync(BenchOrder(i));
            }

            await call.RequestStream.CompleteAsync();
            var reply = await call;
            var updated = reply.Value.Count(c => c == ' ') - 1;
            if (updated != count)
            {
                throw new InvalidOperationException($"updateOrders reported {updated} orders updated of {count}.");
            }

            var elapsed = clock.Elapsed;
            return new MeasureRun(count / elapsed.TotalSeconds, double.NaN, double.NaN, 0, string.Create(CultureInfo.InvariantCulture, $"{count:N0} orders in {elapsed.TotalSeconds:N2} s"));
        }
        catch (RpcException e)
        {
            return new MeasureRun(0, double.NaN, double.NaN, 1, $"{count:N0} orders: {e.StatusCode} after {clock.Elapsed.TotalSeconds:N1} s");
        }
    }

    /// <summary>searchOrders for every benchmark order, call after call: orders received per second within the window.</summary>
    public static async Task<MeasureRun> SearchOrdersAsync(OrderManagement.OrderManagementClient client, TimeSpan warmUp, TimeSpan measured, int storeOrders)
    {
        await SearchForAsync(client, warmUp, storeOrders);
        var (received, complete, failed) = await SearchForAsync(client, measured, storeOrders);
        return new MeasureRun(received / measured.TotalSeconds, double.NaN, double.NaN, failed,
            string.Create(CultureInfo.InvariantCulture, $"{received:N0} orders, {complete} complete calls"));
    }

    /// <summary>
    /// processOrders on <see cref="ProcessStreams"/> bidi streams, each writing stored ids as fast as flow control lets it while
    /// reading the shipments: ids per second that came back in a PROCESSED shipment within the window.
    /// </summary>
    public static async Task<MeasureRun> ProcessOrdersAsync(OrderManagement.OrderManagementClient client, TimeSpan warmUp, TimeSpan measured, int storeOrders)
    {
        await ProcessForAsync(client, warmUp, storeOrders);
        var (processed, failed, shipments) = await ProcessForAsync(client, measured, storeOrders);
        return new MeasureRun(processed / measured.TotalSeconds, double.NaN, double.NaN, failed,
            string.Create(CultureInfo.InvariantCulture, $"{processed:N0} ids in {shipments:N0} shipments"));
    }

    /// <summary>addOrder from <see cref="AddOrderCallers"/> concurrent callers, each durably stored before it returns.</summary>
    public static async Task<MeasureRun> AddOrderAsync(OrderManagement.OrderManagementClient client, TimeSpan warmUp, TimeSpan measured)
    {
        var load = await LoadGenerator.RunAsync(async () => await client.addOrderAsync(AddedOrder), AddOrderCallers, warmUp, measured);
        return new MeasureRun(load.CallsPerSecond, load.P50Ms, load.P99Ms, load.Failures, string.Create(CultureInfo.InvariantCulture, $"{load.Calls:N0} calls"));
    }

    private static Order BenchOrder(int i) => new()
    {
        Id = BenchId(i),
        Items = { $"{SearchQuery} {i % 100}", "Accessory" },
        Description = "Benchmark order.",
        Price = 1 + (i % 100),
        // Three ids in a row share a destination: processOrders' batches of three combine into one shipment.
        Destination = Destinations[i / 3 % Destinations.Length],
    };

    private static string BenchId(int i) => string.Create(CultureInfo.InvariantCulture, $"bench-{i:D7}");

    private static async Task<(long Received, int Complete, int Failed)> SearchForAsync(OrderManagement.OrderManagementClient client, TimeSpan window, int storeOrders)
    {
        using var stop = new CancellationTokenSource(window);
        long received = 0;
        int complete = 0, failed = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var call = client.searchOrders(new StringValue { Value = SearchQuery }, cancellationToken: stop.Token);
                long inCall = 0;
                while (await call.ResponseStream.MoveNext(stop.Token))
                {
                    inCall++;
                    received++;
                }

                if (inCall != storeOrders)
                {
                    throw new InvalidOperationException($"searchOrders returned {inCall} orders; the store holds {storeOrders} that match.");
                }

                complete++;
            }
            catch (Exception e) when (WindowEnded(e, stop))
            {
                // The window ended inside a call: what it had received counts.
            }
            catch (RpcException)
            {
                failed++;
            }
        }

        return (received, complete, failed);
    }

    private static async Task<(long Processed, long Failed, long Shipments)> ProcessForAsync(OrderManagement.OrderManagementClient client, TimeSpan window, int storeOrders)
    {
        using var stop = new CancellationTokenSource(window);
        long processed = 0, failed = 0, shipments = 0;

        async Task StreamAsync(int offset)
        {
            using var call = client.processOrders(cancellationToken: stop.Token);
            var reading = Task.Run(async () =>
            {
                while (await call.ResponseStream.MoveNext(stop.Token))
                {
                    var shipment = call.ResponseStream.Current;
                    Interlocked.Increment(ref shipments);
                    // A NOT_FOUND shipment for a stored id is a failure of the server.
                    Interlocked.Add(ref shipment.Status == "PROCESSED" ? ref processed : ref failed, shipment.OrdersList.Count);
                }
            });
            var streamFailed = false;
            try
            {
                for (var i = offset; !stop.IsCancellationRequested; i++)
                {
                    await call.RequestStream.WriteAsync(new StringValue { Value = BenchId(i % storeOrders) }, stop.Token);
                }
            }
            catch (Exception e) when (WindowEnded(e, stop))
            {
                // The window ended: the ids answered so far count.
            }
            catch (RpcException)
            {
                streamFailed = true;
            }

            try
            {
                await reading;
            }
            catch (Exception e) when (WindowEnded(e, stop))
            {
                // Ended with the window, as the writing did.
            }
            catch (RpcException)
            {
                streamFailed = true;
            }

            if (streamFailed)
            {
                Interlocked.Increment(ref failed);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, ProcessStreams).Select(s => StreamAsync(s * storeOrders / ProcessStreams)));
        return (Interlocked.Read(ref processed), Interlocked.Read(ref failed), Interlocked.Read(ref shipments));
    }

    /// <summary>
    /// The window's end cancels the calls in flight; grpc-dotnet reports that as a cancellation or, when the read was
    /// already under way, as UNAVAILABLE ("the request was aborted").
    /// </summary>
    private static bool WindowEnded(Exception e, CancellationTokenSource stop) =>
        stop.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled or StatusCode.Unavailable };
}
