using System.Globalization;
using System.Runtime.InteropServices;

namespace Orders.Api.Benchmarks;

/// <summary>
/// `--compare`: getOrder("101") through h2load on the bare grpc-dotnet baseline, Orders.Api with telemetry off, Orders.Api as
/// shipped and the Python grpcio contract server, in interleaved rounds (each server once per round, all kept up), reported
/// as medians with the ratio to bare. `--rounds N` (3), `--seconds S` measured per server and round (5), `--out FILE`.
/// </summary>
internal static class SideBySide
{
    private const int Clients = 4;
    private const int StreamsPerClient = 8;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    private sealed record Contender(string Name, Func<Task<(ServerProcess Server, Uri Address)>> Start);

    public static async Task RunAsync(string[] args)
    {
        var rounds = IntOption(args, "--rounds", 3);
        var measured = TimeSpan.FromSeconds(IntOption(args, "--seconds", 5));
        var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
        var loadAverage = LoadAverage();
        if (!H2Load.IsInstalled)
        {
            throw new InvalidOperationException("h2load not found: apt-get install nghttp2-client (benchmarks/api.sh does).");
        }

        Contender[] contenders =
        [
            new("bare grpc-dotnet (benchmarks/BareOrders.Server)", ServerProcess.StartBareAsync),
            new("Orders.Api, telemetry off (OTEL_SDK_DISABLED, Warning logs)", () => ServerProcess.StartApiAsync(new Dictionary<string, string>
            {
                ["OTEL_SDK_DISABLED"] = "true",
                ["Logging__LogLevel__Default"] = "Warning",
            })),
            new("Orders.Api as shipped (console logs)", () => ServerProcess.StartApiAsync(new Dictionary<string, string>())),
            // Its own lifetime limit outlasts the whole run with a margin.
            new("Python grpcio (Orders.Tests/CrossLanguage/orders_server.py)",
                () => ServerProcess.StartPythonAsync(TimeSpan.FromSeconds(120) + (rounds * 4 * (WarmUp + measured)))),
        ];

        var servers = new List<(ServerProcess Server, Uri Address)>();
        try
        {
            foreach (var contender in contenders)
            {
                servers.Add(await contender.Start());
            }

            var runs = contenders.Select(_ => new List<H2LoadRun>()).ToArray();
            for (var round = 1; round <= rounds; round++)
            {
                for (var i = 0; i < contenders.Length; i++)
                {
                    var run = await H2Load.GetOrderForAsync(servers[i].Address, WarmUp, measured, Clients, StreamsPerClient);
                    runs[i].Add(run);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round}: {contenders[i].Name}: {run.RequestsPerSecond:N0} calls/s, p50 {run.P50Ms:N2} ms, p99 {run.P99Ms:N2} ms, {run.Total - run.Succeeded} failed"));
                }
            }

            var bare = Median(runs[0].Select(r => r.RequestsPerSecond));
            string[] rows =
            [
                "| Server | Calls/s (median) | Ratio to bare | p50 ms | p99 ms | Failed | RSS after, MiB | Calls/s per round |",
                "|---|---|---|---|---|---|---|---|",
                .. contenders.Select((contender, i) =>
                {
                    var median = Median(runs[i].Select(r => r.RequestsPerSecond));
                    return string.Create(CultureInfo.InvariantCulture,
                        $"| {contender.Name} | {median:N0} | {median / bare:N2} | {Median(runs[i].Select(r => r.P50Ms)):N2} | {Median(runs[i].Select(r => r.P99Ms)):N2} | {runs[i].Sum(r => r.Total - r.Succeeded)} | {servers[i].Server.ResidentMiB():N0} | {string.Join(" · ", runs[i].Select(r => r.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} |");
                }),
            ];
            foreach (var row in rows)
            {
                Console.WriteLine(row);
            }

            if (output is not null)
            {
                string[] header =
                [
                    "# Side by side: getOrder on the bare baseline, Orders.Api and the Python contract server",
                    "",
                    $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · {Environment.ProcessorCount} cores · Release build · load average at start {loadAverage}",
                    $"Command: `dotnet run -c Release --project Orders.Api.Benchmarks -- {string.Join(' ', args)}` (what `benchmarks/api.sh --compare` runs) · load average at end {LoadAverage()}",
                    "",
                    string.Create(CultureInfo.InvariantCulture,
                        $"h2load (nghttp2) posts getOrder(\"101\") over h2c on 127.0.0.1, {Clients} connections × {StreamsPerClient} streams, {WarmUp.TotalSeconds:N0} s warm-up then {measured.TotalSeconds:N0} s measured,"),
                    $"{rounds} interleaved rounds (each server once per round, every server up for the whole run); calls/s, p50 and p99 are medians over the rounds.",
                    "Latencies come from h2load's per-request log. RSS is VmRSS of the server process after its last round. Orders.Api runs with a",
                    "fresh SQLite file and the sample orders; the bare server and the Python one keep the orders in memory.",
                    "h2load and every server share the machine's cores, and the machine runs other work too: the load averages above say how",
                    "noisy the run was. Read the ratios to bare, measured in the same rounds, rather than the absolute rates. The .NET servers",
                    "may still be tiering up their JIT in round 1; the last column shows each round; from three rounds on, the median leaves one slow first round out.",
                    "",
                ];
                await File.WriteAllLinesAsync(output, [.. header, .. rows]);
            }
        }
        finally
        {
            foreach (var (server, _) in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static int IntOption(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
