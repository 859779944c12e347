using System.Diagnostics;
using System.Globalization;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Benchmarks;

/// <summary>
/// `Orders.Api.Benchmarks --compare` runs end to end: every server starts, h2load (Debian nghttp2-client) measures each,
/// and the table has a row per server. About a second per server; what the numbers are is not asserted, only that they exist.
/// </summary>
public sealed class SideBySideSmokeTests
{
    [Fact]
    public async Task OneShortRoundReportsEveryServer()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("orders-side-by-side-").FullName, "side-by-side.md");
        try
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in (string[])[RepositoryPaths.ProjectOutput("Orders.Api.Benchmarks"), "--compare", "--seconds", "1", "--rounds", "1", "--out", output])
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
            var rows = File.ReadLines(output).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1)
                .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1]).ToArray();
            Assert.Collection(rows,
                bare => AssertMeasured(bare, "bare grpc-dotnet", ratio: "1.00"),
                off => AssertMeasured(off, "Orders.Api, telemetry off", ratio: null),
                shipped => AssertMeasured(shipped, "Orders.Api as shipped", ratio: null),
                python => AssertMeasured(python, "Python grpcio", ratio: null));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }

    // Columns: server, calls/s, ratio to bare, p50 ms, p99 ms, failed, RSS MiB, calls/s per round.
    private static void AssertMeasured(string[] row, string server, string? ratio)
    {
        Assert.StartsWith(server, row[0], StringComparison.Ordinal);
        Assert.All((int[])[1, 2, 3, 4, 6], column => Assert.True(double.Parse(row[column], CultureInfo.InvariantCulture) > 0, string.Join(" | ", row)));
        Assert.Equal("0", row[5]);
        if (ratio is not null)
        {
            Assert.Equal(ratio, row[2]);
        }
    }
}
