using System.Globalization;
using Ecommerce;
using Grpc.Net.Client;
using OrdersAspire.TestHarness;

namespace Orders.Api.Benchmarks;

/// <summary>
/// updateOrders, searchOrders, processOrders and addOrder on the bare server (orders in a dictionary), Orders.Api on
/// SQLite and Orders.Api on PostgreSQL (Debian's, fsync on), each first filled with the same benchmark orders; interleaved
/// rounds, every server up for the whole run. Orders.Api runs as shipped (telemetry on, no export).
/// </summary>
internal static class StoreMeasures
{
    private sealed record Server(string Name, (ServerProcess Process, Uri Address) Started, bool HeldToTargets = false);

    private sealed record Measure(string Name, string Unit, string HowMeasured, Func<OrderManagement.OrderManagementClient, Task<MeasureRun>> RunAsync,
        Func<MeasureRun[], Target> Target);

    public static async Task<IReadOnlyList<ResultTable>> RunAsync(HarnessOptions options)
    {
        await using var resources = new RunResources();
        var postgres = new PostgresProcess(FreePort.Next(), durable: true);
        resources.Add(postgres);
        await postgres.InitializeAsync();
        var apiSettings = new Dictionary<string, string>
        {
            // One updateOrders call carries a whole batch of the fill.
            ["Orders__Validation__MaxOrdersPerUpdate"] = options.UpdateOrders.ToString(CultureInfo.InvariantCulture),
        };
        Server[] servers =
        [
            new("bare grpc-dotnet (benchmarks/BareOrders.Server)", resources.Add(await Servers.StartBareAsync())),
            new("Orders.Api, SQLite", resources.Add(await Servers.StartApiAsync(apiSettings)), HeldToTargets: true),
            new("Orders.Api, PostgreSQL", resources.Add(await Servers.StartApiAsync(new Dictionary<string, string>(apiSettings)
            {
                ["Orders__Storage__Provider"] = "PostgreSQL",
                ["ConnectionStrings__orders"] = postgres.ConnectionString(await postgres.CreateDatabaseAsync()),
            }))),
        ];

        var channels = servers.Select(s => GrpcChannel.ForAddress(s.Started.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            MaxReceiveMessageSize = null,
        })).ToArray();
        try
        {
            var clients = channels.Select(c => new OrderManagement.OrderManagementClient(c)).ToArray();
            foreach (var (server, client) in servers.Zip(clients))
            {
                await StoreWorkloads.FillAsync(client, options.StoreOrders, options.UpdateOrders);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{server.Name}: filled with {options.StoreOrders:N0} orders"));
            }

            var measures = Measures(options);
            var runs = measures.Select(_ => servers.Select(_ => new List<MeasureRun>()).ToArray()).ToArray();
            for (var round = 1; round <= options.Rounds; round++)
            {
                for (var m = 0; m < measures.Length; m++)
                {
                    for (var s = 0; s < servers.Length; s++)
                    {
                        var run = await measures[m].RunAsync(clients[s]);
                        runs[m][s].Add(run);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"round {round}: {measures[m].Name}, {servers[s].Name}: {run.Rate:N0} {measures[m].Unit}, p50 {run.P50Ms:N2} ms, p99 {run.P99Ms:N2} ms, {run.Failures} failed ({run.Done})"));
                    }
                }
            }

            var resident = servers.Select(s => s.Started.Process.ResidentMiB()).ToArray();
            return [.. measures.Select((measure, m) => new ResultTable(measure.Name, measure.Unit, measure.HowMeasured, [.. servers.Select((server, s) =>
                new ResultRow(server.Name, runs[m][s], resident[s], server.HeldToTargets ? measure.Target([.. runs[m][s]]) : null,
                    string.Join(" · ", runs[m][s].Select(r => r.Done))))]))];
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static Measure[] Measures(HarnessOptions options)
    {
        var orders = options.StoreOrders;
        return
        [
            new("updateOrders", "orders/s", string.Create(CultureInfo.InvariantCulture,
                    $"one client stream of {options.UpdateOrders:N0} orders (upserts of stored ones), stored atomically when it ends; from the first write to the reply. Orders.Api runs with Orders:Validation:MaxOrdersPerUpdate at {options.UpdateOrders:N0} (default 1,000)."),
                client => StoreWorkloads.UpdateOrdersAsync(client, 0, options.UpdateOrders),
                runs => new Target("≥ 50,000 orders/s (one stream, atomic)", Statistics.Median(runs.Select(r => r.Rate)) >= 50_000)),
            new("searchOrders", "orders/s", string.Create(CultureInfo.InvariantCulture,
                    $"searchOrders(\"{StoreWorkloads.SearchQuery}\"), which matches all {orders:N0} benchmark orders, call after call; orders received by the client per second, a call cut by the window's end counting what it had received."),
                client => StoreWorkloads.SearchOrdersAsync(client, options.WarmUp, options.Measured, orders),
                runs => new Target(string.Create(CultureInfo.InvariantCulture, $"≥ 200,000 orders/s streamed from a {orders:N0}-order store"),
                    Statistics.Median(runs.Select(r => r.Rate)) >= 200_000)),
            new("processOrders", "ids/s", string.Create(CultureInfo.InvariantCulture,
                    $"{StoreWorkloads.ProcessStreams} bidi streams writing stored ids (three in a row share a destination; the server flushes its shipments every 3 ids) while reading the shipments; ids per second that came back in a PROCESSED shipment."),
                client => StoreWorkloads.ProcessOrdersAsync(client, options.WarmUp, options.Measured, orders),
                runs => new Target("≥ 200,000 ids/s in, with the shipments out", Statistics.Median(runs.Select(r => r.Rate)) >= 200_000)),
            new("addOrder", "calls/s", $"{StoreWorkloads.AddOrderCallers} concurrent callers on one channel, each call stored durably before its reply; closed loop.",
                client => StoreWorkloads.AddOrderAsync(client, options.WarmUp, options.Measured),
                runs => new Target("≥ 5,000 calls/s with p99 ≤ 20 ms (16 callers, durable)",
                    Statistics.Median(runs.Select(r => r.Rate)) >= 5_000 && Statistics.Median(runs.Select(r => r.P99Ms)) <= 20)),
        ];
    }
}
