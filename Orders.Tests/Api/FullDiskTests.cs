using System.Net;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using Orders.Tests.Infrastructure;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Orders.Tests.Api;

/// <summary>
/// The real Orders.Api on SQLite on a filesystem that fills up under traffic and then gets space back: writes are
/// UNAVAILABLE and the service not ready while it is full, ready and writing again once space is freed, with no restart
/// and no acknowledged write lost.
/// </summary>
[Requires(Need.Process)]
public sealed class FullDiskTests(ITestOutputHelper output)
{
    private const int FilesystemMegabytes = 16;
    private static readonly TimeSpan Full = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task SqliteOnAFullDisk_WritesUnavailableAndNotReadyUntilSpaceIsFreed_NoAcknowledgedWriteLost()
    {
        var disk = await SmallFilesystem.MountAsync(FilesystemMegabytes);
        try
        {
            await using var api = await OrdersApiProcess.StartAsync(dataDirectory: disk.Path);
            using var channel = api.CreateChannel();
            var client = new OrderManagement.OrderManagementClient(channel);
            var health = new Health.HealthClient(channel);
            using var writes = OrderTraffic.Writes(client);
            // Reads go on working on a full disk: they must not end the outage each time one succeeds.
            using var reads = OrderTraffic.Reads(client, "101");

            await writes.WaitForAsync(StatusCode.OK, 5, "writes before the disk is full");
            var outageStart = api.Output.Length;
            var filled = disk.Fill();
            await writes.WaitForAsync(StatusCode.Unavailable, 3, "UNAVAILABLE writes on a full disk");
            var readiness = await ReadinessAsync(api, health, ready: false, "while the disk is full");
            output.WriteLine($"Filled {filled} bytes; then /health {readiness.Http}, grpc.health {readiness.Grpc}; outcomes so far: {writes.Summary()}");
            Assert.Equal(HttpStatusCode.OK, await api.GetStatusAsync("/alive"));
            // Each probe re-tests a write while the disk stays full; the reads succeeding meanwhile change nothing.
            await StoreOutageLogTests.AssertNotReadyThroughoutAsync(api, health, Full);

            disk.Free();
            await ReadinessAsync(api, health, ready: true, "once space is freed");
            await writes.WaitForAsync(StatusCode.OK, writes.Count(StatusCode.OK) + 5, "writes once space is freed");
            await writes.StopAsync();
            await reads.StopAsync();

            Assert.Equal([StatusCode.OK], reads.Outcomes.Select(o => o.Status).Distinct());
            await StoreOutageLogTests.AssertOneOutageLoggedAsync(api, outageStart, writes.Count(StatusCode.Unavailable), output);
            Assert.All(writes.Outcomes, outcome => Assert.Contains(outcome.Status, new[] { StatusCode.OK, StatusCode.Unavailable }));
            StoreOutageTests.AssertUnavailableWithRetryInfo(writes.FirstUnavailable!);
            foreach (var id in writes.Acknowledged)
            {
                Assert.Equal(id, (await client.getOrderAsync(new StringValue { Value = id })).Id);
            }

            output.WriteLine($"{writes.Acknowledged.Count} writes acknowledged, all read back; outcomes: {writes.Summary()}");
            Assert.True(api.IsRunning);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await disk.DisposeAsync();
        }
    }

    /// <summary>Waits (bounded) until /health and grpc.health.v1 agree the service is (not) ready; returns what they last said.</summary>
    private static async Task<(HttpStatusCode Http, ServingStatus Grpc)> ReadinessAsync(OrdersApiProcess api, Health.HealthClient health, bool ready, string when) =>
        await Eventually.HoldsAsync(
            async () => (await api.GetStatusAsync("/health"), (await health.CheckAsync(new HealthCheckRequest())).Status),
            state => state == (ready ? (HttpStatusCode.OK, ServingStatus.Serving) : (HttpStatusCode.ServiceUnavailable, ServingStatus.NotServing)),
            $"/health {(ready ? "200" : "503")} and grpc.health.v1 {(ready ? "SERVING" : "NOT_SERVING")} {when}",
            timeoutSeconds: (int)OrderTraffic.WaitBound.TotalSeconds);
}
