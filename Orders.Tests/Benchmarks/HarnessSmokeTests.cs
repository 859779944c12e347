using System.Globalization;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Benchmarks;

/// <summary>
/// The benchmark harness (Orders.Api.Benchmarks, what benchmarks/run.sh runs) end to end, scaled down: one round of about a
/// second per measure on a 2,000-order store. Every server and receiver starts, every measure reports a number for every
/// row, the exporting rows say what reached their receiver, and both charts are PNGs. What the numbers are is the
/// benchmark's to judge, never a test's: only that they exist. It runs alone, after the parallel tests: its dozen
/// processes pick their ports in another process than the tests' FreePort, so two servers could be handed one port.
/// </summary>
[Collection(HarnessSmokeTestsDefinition.Name)]
[Requires(Need.Process)]
public sealed class HarnessSmokeTests
{
    private static readonly string[] GetOrderServers =
    [
        "bare grpc-dotnet", "Orders.Api, telemetry off", "Orders.Api as shipped", "Orders.Api exporting to the insights, always_on",
        "Orders.Api exporting to the insights, parentbased_traceidratio", "Orders.Api exporting to the Aspire dashboard, always_on",
        "Orders.Api exporting to the Aspire dashboard, parentbased_traceidratio", "Python grpcio",
    ];

    private static readonly string[] StoreServers = ["bare grpc-dotnet", "Orders.Api, SQLite", "Orders.Api, PostgreSQL"];

    [Fact]
    public async Task OneShortRoundReportsEveryMeasureOfEveryServer()
    {
        var results = Directory.CreateTempSubdirectory("orders-harness-").FullName;
        try
        {
            await RunHarnessAsync(results);

            var sections = Sections(await File.ReadAllLinesAsync(Path.Combine(results, "side-by-side.md")));
            Assert.Equal(["getOrder", "updateOrders", "searchOrders", "processOrders", "addOrder"], sections.Keys);
            AssertRows(sections["getOrder"], GetOrderServers, latencies: true, targeted: ["Orders.Api as shipped", "Orders.Api exporting to the insights, always_on", "Python grpcio"]);
            AssertRows(sections["updateOrders"], StoreServers, latencies: false, targeted: ["Orders.Api, SQLite"]);
            AssertRows(sections["searchOrders"], StoreServers, latencies: false, targeted: ["Orders.Api, SQLite"]);
            AssertRows(sections["processOrders"], StoreServers, latencies: false, targeted: ["Orders.Api, SQLite"]);
            AssertRows(sections["addOrder"], StoreServers, latencies: true, targeted: ["Orders.Api, SQLite"]);

            // Each exporting row counts what its receiver got; the Aspire dashboard's also the spans it held and dropped.
            var delivered = sections["getOrder"].Where(l => l.StartsWith("- Orders.Api exporting", StringComparison.Ordinal)).ToArray();
            Assert.Equal(4, delivered.Length);
            Assert.All(delivered, line => Assert.Matches(@"[\d,]+ calls made; traces received [\d,]+ of [\d,]+ expected", line));
            Assert.Equal(2, delivered.Count(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"spans held [\d,]+ of [\d,]+ expected, [\d,]+ dropped")));

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

    private static async Task RunHarnessAsync(string results)
    {
        var run = await ExternalCommand.RunAsync(Launch.Project("Orders.Api.Benchmarks",
            ["--seconds", "1", "--rounds", "1", "--store-orders", "2000", "--update-orders", "1000", "--out", results]), TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, run.ToString());
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

    // Columns: server, rate, ratio to bare, p50 ms, p99 ms, failed, RSS MiB, rate per round, target, met.
    private static void AssertRows(string[] section, string[] servers, bool latencies, string[] targeted)
    {
        var rows = section.Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1]).ToArray();
        Assert.Equal(servers.Length, rows.Length);
        foreach (var (row, server) in rows.Zip(servers))
        {
            var text = string.Join(" | ", row);
            Assert.StartsWith(server, row[0], StringComparison.Ordinal);
            Assert.All((int[])[1, 2, 6, 7], column => Assert.True(double.Parse(row[column], CultureInfo.InvariantCulture) > 0, text));
            Assert.All((int[])[3, 4], column => Assert.True(latencies ? double.Parse(row[column], CultureInfo.InvariantCulture) > 0 : row[column] == "–", text));
            Assert.True(row[5] == "0", text);
            Assert.True(targeted.Any(t => server.StartsWith(t, StringComparison.Ordinal)) ? row[9] is "met" or "not met" : row[9] == "–", text);
        }

        Assert.Equal("1.00", rows[0][2]);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HarnessSmokeTestsDefinition
{
    public const string Name = "Benchmark harness";
}
