using System.Globalization;
using Ecommerce;
using Grpc.Net.Client;
using OrdersAspire.TestHarness;

namespace Orders.Api.Benchmarks;

/// <summary>
/// updateOrders, searchOrders, processOrders and addOrder on the bare server (orders in a dictionary), the template peer
/// (the same, plus the Aspire template's service defaults), Orders.Api on SQLite and Orders.Api on PostgreSQL (Debian's,
/// fsync on) and, when given, Orders.Api on SQLite from the baseline build (last), each first filled with the same benchmark
/// orders; an uncounted round, then interleaved rounds, every server up for the whole run. Orders.Api runs as shipped (telemetry on, no export).
/// </summary>
internal static class StoreMeasures
{
    private sealed record Server(string Name, (ServerProcess Process, Uri Address) Started, bool HeldToTargets = false);

    /// <param name="Target">The row's target from its runs and its ratio to bare.</param>
    /// <param name="HeldToPreviousRun">Also held to no regression: against the baseline build in the same rounds (<see cref="BaselineBuild"/>), else the previous run (<see cref="PreviousResults"/>).</param>
    private sealed record Measure(string Name, string Unit, string HowMeasured, Func<OrderManagement.OrderManagementClient, Task<MeasureRun>> RunAsync,
        Func<MeasureRun[], double, Target> Target, bool HeldToPreviousRun);

    public static async Task<IReadOnlyList<ResultTable>> RunAsync(HarnessOptions options, PreviousResults previous)
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
            new(Servers.BareName, resources.Add(await Servers.StartBareAsync())),
            new(Servers.TemplatePeerName, resources.Add(await Servers.StartTemplatePeerAsync(new Dictionary<string, string>()))),
            new("Orders.Api, SQLite", resources.Add(await Servers.StartApiAsync(apiSettings)), HeldToTargets: true),
            new("Orders.Api, PostgreSQL", resources.Add(await Servers.StartApiAsync(new Dictionary<string, string>(apiSettings)
            {
                ["Orders__Storage__Provider"] = "PostgreSQL",
                ["ConnectionStrings__orders"] = postgres.ConnectionString(await postgres.CreateDatabaseAsync()),
            }))),
            .. options.Baseline is { } baseline ? [new Server(baseline.ServerName, resources.Add(await Servers.StartApiAsync(apiSettings, baseline.OutputFolder)))] : (Server[])[],
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
            // Round 0 is not counted: in the first pass the .NET servers are still compiling their hot paths.
            for (var round = 0; round <= options.Rounds; round++)
            {
                for (var m = 0; m < measures.Length; m++)
                {
                    foreach (var s in MeasuringOrder(servers, options.Baseline is not null, round))
                    {
                        var run = await measures[m].RunAsync(clients[s]);
                        if (round > 0)
                        {
                            runs[m][s].Add(run);
                        }

                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{(round > 0 ? $"round {round}" : "warm-up round")}: {measures[m].Name}, {servers[s].Name}: {run.Rate:N0} {measures[m].Unit}, p50 {run.P50Ms:N2} ms, p99 {run.P99Ms:N2} ms, {run.Failures} failed ({run.Done})"));
                    }
                }
            }

            var resident = servers.Select(s => s.Started.Process.ResidentMiB()).ToArray();
            return [.. measures.Select((measure, m) =>
            {
                var bare = Statistics.Median(runs[m][0].Select(r => r.Rate));
                Target? TargetOf(Server server, MeasureRun[] serverRuns)
                {
                    if (!server.HeldToTargets)
                    {
                        return null;
                    }

                    var rate = Statistics.Median(serverRuns.Select(r => r.Rate));
                    var target = measure.Target(serverRuns, rate / bare);
                    return !measure.HeldToPreviousRun ? target
                        : options.Baseline is { } baseline ? baseline.NoRegression(target, rate, Statistics.Median(runs[m][^1].Select(r => r.Rate)))
                        : previous.NoRegression(target, measure.Name, server.Name, rate / bare);
                }

                return new ResultTable(measure.Name, measure.Unit, measure.HowMeasured, [.. servers.Select((server, s) =>
                    new ResultRow(server.Name, runs[m][s], resident[s], Servers.TemplatePeerName, TargetOf(server, [.. runs[m][s]]),
                        string.Join(" · ", runs[m][s].Select(r => r.Done))))]);
            })];
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    // The baseline build (last in the list) is measured right beside this one, after it in odd rounds and before it in
    // even ones: neither gains from its place in the round (what ran just before it, what the driver still holds from that).
    private static int[] MeasuringOrder(Server[] servers, bool withBaseline, int round)
    {
        if (!withBaseline)
        {
            return [.. Enumerable.Range(0, servers.Length)];
        }

        var baseline = servers.Length - 1;
        var order = Enumerable.Range(0, baseline).ToList();
        order.Insert(Array.FindIndex(servers, server => server.HeldToTargets) + round % 2, baseline);
        return [.. order];
    }

    private static Measure[] Measures(HarnessOptions options)
    {
        var orders = options.StoreOrders;
        return
        [
            new("updateOrders", "orders/s", string.Create(CultureInfo.InvariantCulture,
                    $"one client stream of {options.UpdateOrders:N0} orders (upserts of stored ones), stored atomically when it ends; from the first write to the reply. Orders.Api runs with Orders:Validation:MaxOrdersPerUpdate at {options.UpdateOrders:N0} (default 1,000)."),
                client => StoreWorkloads.UpdateOrdersAsync(client, 0, options.UpdateOrders),
                (runs, _) => new Target("≥ 50,000 orders/s (one stream, atomic)", Statistics.Median(runs.Select(r => r.Rate)) >= 50_000), HeldToPreviousRun: true),
            new("searchOrders", "orders/s", string.Create(CultureInfo.InvariantCulture,
                    $"searchOrders(\"{StoreWorkloads.SearchQuery}\"), which matches all {orders:N0} benchmark orders, call after call; orders received by the client per second, a call cut by the window's end counting what it had received."),
                client => StoreWorkloads.SearchOrdersAsync(client, options.WarmUp, options.Measured, orders),
                (runs, _) => new Target(string.Create(CultureInfo.InvariantCulture, $"≥ 200,000 orders/s streamed from a {orders:N0}-order store"),
                    Statistics.Median(runs.Select(r => r.Rate)) >= 200_000), HeldToPreviousRun: true),
            new("processOrders", "ids/s", string.Create(CultureInfo.InvariantCulture,
                    $"{StoreWorkloads.ProcessStreams} bidi streams writing stored ids (three in a row share a destination; the server flushes its shipments every 3 ids) while reading the shipments; ids per second that came back in a PROCESSED shipment."),
                client => StoreWorkloads.ProcessOrdersAsync(client, options.WarmUp, options.Measured, orders),
                (_, ratio) => new Target("≥ 1.0× bare, with the shipments out", ratio >= 1), HeldToPreviousRun: false),
            new("addOrder", "calls/s", $"{StoreWorkloads.AddOrderCallers} concurrent callers on one channel, each call stored durably before its reply; closed loop.",
                client => StoreWorkloads.AddOrderAsync(client, options.WarmUp, options.Measured),
                (runs, _) => new Target("≥ 5,000 calls/s with p99 ≤ 20 ms (16 callers, durable)",
                    Statistics.Median(runs.Select(r => r.Rate)) >= 5_000 && Statistics.Median(runs.Select(r => r.P99Ms)) <= 20), HeldToPreviousRun: true),
        ];
    }
}
