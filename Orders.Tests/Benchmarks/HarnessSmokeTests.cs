using System.Globalization;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Benchmarks;

/// <summary>
/// The benchmark harness (Orders.Api.Benchmarks, what benchmarks/run.sh runs) end to end, scaled down: one round of about a
/// second per measure on a 2,000-order store. Every server and receiver starts, every measure reports a number and its ratios
/// to bare and to the template peer for every row, the exporting rows say what reached their receiver, the no-regression
/// targets compare with the committed results, and both charts are PNGs. What the numbers are is the
/// benchmark's to judge, never a test's: only that they exist. It runs alone, after the parallel tests: its dozen
/// processes pick their ports in another process than the tests' FreePort, so two servers could be handed one port.
/// </summary>
[Collection(HarnessSmokeTestsDefinition.Name)]
[Requires(Need.Process)]
public sealed class HarnessSmokeTests
{
    private const string Peer = "template peer: bare + the Aspire starter template's service defaults, no export";

    private static readonly string[] GetOrderServers =
    [
        "bare grpc-dotnet", Peer, "template peer exporting to the insights, always_on", "template peer exporting to the Aspire dashboard, always_on", "Orders.Api, telemetry off", "Orders.Api as shipped", "Orders.Api exporting to the insights, always_on",
        "Orders.Api exporting to the insights, parentbased_traceidratio", "Orders.Api exporting to the Aspire dashboard, always_on",
        "Orders.Api exporting to the Aspire dashboard, parentbased_traceidratio", "Python grpcio",
    ];

    private static readonly string[] StoreServers = ["bare grpc-dotnet", Peer, "Orders.Api, SQLite", "Orders.Api, PostgreSQL", "Orders.Api, SQLite, baseline build smoke"];

    // The template peer row each getOrder row's second ratio is taken to: the one exporting to the same kind of receiver, else the one without export.
    private static readonly Dictionary<string, string> GetOrderPeers = new()
    {
        ["template peer exporting to the insights"] = "template peer exporting to the insights, always_on",
        ["template peer exporting to the Aspire dashboard"] = "template peer exporting to the Aspire dashboard, always_on",
        ["Orders.Api exporting to the insights, always_on"] = "template peer exporting to the insights, always_on",
        ["Orders.Api exporting to the Aspire dashboard, always_on"] = "template peer exporting to the Aspire dashboard, always_on",
    };

    [Fact]
    public async Task OneShortRoundReportsEveryMeasureOfEveryServer()
    {
        var results = Directory.CreateTempSubdirectory("orders-harness-").FullName;
        try
        {
            var output = await RunHarnessAsync(results);

            var sections = Sections(await File.ReadAllLinesAsync(Path.Combine(results, "side-by-side.md")));
            Assert.Equal(["getOrder", "updateOrders", "searchOrders", "processOrders", "addOrder"], sections.Keys);
            AssertRows(sections["getOrder"], GetOrderServers, latencies: true, targeted: ["Orders.Api as shipped", "Orders.Api exporting to the insights, always_on", "Python grpcio"]);
            AssertRows(sections["updateOrders"], StoreServers, latencies: false, targeted: ["Orders.Api, SQLite"]);
            AssertRows(sections["searchOrders"], StoreServers, latencies: false, targeted: ["Orders.Api, SQLite"]);
            AssertRows(sections["processOrders"], StoreServers, latencies: false, targeted: ["Orders.Api, SQLite"]);
            AssertRows(sections["addOrder"], StoreServers, latencies: true, targeted: ["Orders.Api, SQLite"]);

            AssertPeerRatios(sections["getOrder"], server => GetOrderPeers.FirstOrDefault(p => server.StartsWith(p.Key, StringComparison.Ordinal)).Value ?? Peer);
            foreach (var measure in (string[])["updateOrders", "searchOrders", "processOrders", "addOrder"])
            {
                AssertPeerRatios(sections[measure], _ => Peer);
            }

            // Held to no regression against the baseline build measured in the same rounds (--baseline-build wins over --previous).
            foreach (var measure in (string[])["updateOrders", "searchOrders", "addOrder"])
            {
                var row = Assert.Single(Rows(sections[measure]), r => r[0] == "Orders.Api, SQLite");
                var baseline = Assert.Single(Rows(sections[measure]), r => r[0] == "Orders.Api, SQLite, baseline build smoke");
                var ratio = double.Parse(row[1], NumberStyles.Number, CultureInfo.InvariantCulture) / double.Parse(baseline[1], NumberStyles.Number, CultureInfo.InvariantCulture);
                var text = Assert.Single(System.Text.RegularExpressions.Regex.Match(row[9], @"; ≥ 0\.95× the baseline build smoke in the same rounds: ([\d.]+)×$").Groups.Values.Skip(1)).Value;
                AssertPrintedCut(ratio, text);
            }

            Assert.Contains("No regression means a rate at least 0.95× that of the baseline build smoke", string.Join('\n', await File.ReadAllLinesAsync(Path.Combine(results, "side-by-side.md"))), StringComparison.Ordinal);

            Assert.Contains("≥ 1.0× bare", Assert.Single(sections["processOrders"], l => l.StartsWith("| Orders.Api, SQLite |", StringComparison.Ordinal)), StringComparison.Ordinal);

            // Each exporting row counts what its receiver got; the Aspire dashboard's also the spans it held and dropped.
            var delivered = sections["getOrder"].Where(l => l.StartsWith("- Orders.Api exporting", StringComparison.Ordinal) || l.StartsWith("- template peer exporting", StringComparison.Ordinal)).ToArray();
            Assert.Equal(6, delivered.Length);
            Assert.All(delivered, line => Assert.Matches(@"[\d,]+ calls made; traces received [\d,]+ of [\d,]+ expected", line));
            Assert.Equal(3, delivered.Count(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"spans held [\d,]+ of [\d,]+ expected, [\d,]+ dropped")));

            // The Python server is measured last in a round; the next round's first server waits until its CPU use has settled.
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(output, @"getOrder, Python grpcio [^\n]*; its CPU use settled in [\d.]+ s"));

            foreach (var chart in (string[])["side-by-side.png", "stores.png"])
            {
                var bytes = await File.ReadAllBytesAsync(Path.Combine(results, chart));
                Assert.True(bytes.Length > 10_000, $"{chart} is {bytes.Length} bytes");
                Assert.Equal((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
            }
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    /// <returns>What the harness printed.</returns>
    private static async Task<string> RunHarnessAsync(string results)
    {
        var run = await ExternalCommand.RunAsync(Launch.Project("Orders.Api.Benchmarks",
            ["--seconds", "1", "--rounds", "1", "--store-orders", "2000", "--update-orders", "1000", "--out", results,
                "--previous", Path.Combine(RepositoryPaths.Root, "benchmarks", "results", "side-by-side.md"),
                // This very build stands in for an earlier commit's.
                "--baseline-build", Path.GetDirectoryName(RepositoryPaths.ProjectOutput("Orders.Api"))!, "--baseline-name", "smoke"]), TimeSpan.FromMinutes(10));

        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout;
    }

    /// <summary>The lines under each "## measure" heading.</summary>
    private static Dictionary<string, string[]> Sections(string[] lines)
    {
        var sections = new Dictionary<string, string[]>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("## ", StringComparison.Ordinal))
            {
                sections[lines[i][3..]] = [.. lines.Skip(i + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))];
            }
        }

        return sections;
    }

    // Columns: server, rate, ratio to bare, ratio to peer, p50 ms, p99 ms, failed, RSS MiB, rate per round, target, met.
    private static string[][] Rows(string[] section) =>
        [.. section.Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1).Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1])];

    private static void AssertRows(string[] section, string[] servers, bool latencies, string[] targeted)
    {
        var rows = Rows(section);
        Assert.Equal(servers.Length, rows.Length);
        foreach (var (row, server) in rows.Zip(servers))
        {
            var text = string.Join(" | ", row);
            Assert.StartsWith(server, row[0], StringComparison.Ordinal);
            Assert.All((int[])[1, 2, 3, 7, 8], column => Assert.True(double.Parse(row[column], CultureInfo.InvariantCulture) > 0, text));
            Assert.All((int[])[4, 5], column => Assert.True(latencies ? double.Parse(row[column], CultureInfo.InvariantCulture) > 0 : row[column] == "–", text));
            Assert.True(row[6] == "0", text);
            Assert.True(targeted.Contains(server) ? row[10] is "met" or "not met" : row[10] == "–", text);
        }

        Assert.Equal("1.00", rows[0][2]);
    }

    /// <summary>
    /// Each row's ratio to peer is its rate over the rate of the peer row <paramref name="peerOf"/> names, cut to the two
    /// decimals printed (never above it, so it cannot read as reaching a target it misses).
    /// </summary>
    private static void AssertPeerRatios(string[] section, Func<string, string> peerOf)
    {
        var rows = Rows(section);
        double Rate(string[] row) => double.Parse(row[1], NumberStyles.Number, CultureInfo.InvariantCulture);
        foreach (var row in rows)
        {
            var peer = Assert.Single(rows, r => r[0] == peerOf(row[0]));
            AssertPrintedCut(Rate(row) / Rate(peer), row[3]);
        }
    }

    /// <summary>A printed ratio is <paramref name="ratio"/> cut to two decimals; the rates it is recomputed from are printed rounded, hence the slack.</summary>
    private static void AssertPrintedCut(double ratio, string printed) =>
        Assert.InRange(double.Parse(printed, CultureInfo.InvariantCulture), ratio - 0.011, ratio + 0.001);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HarnessSmokeTestsDefinition
{
    public const string Name = "Benchmark harness";
}
