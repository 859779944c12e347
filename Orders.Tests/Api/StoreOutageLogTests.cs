using System.Net;
using System.Text.RegularExpressions;
using Ecommerce;
using Grpc.Core;
using Grpc.Health.V1;
using Orders.Tests.Infrastructure;
using Orders.Api.Interceptors;
using Orders.Api.Storage;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Orders.Tests.Api;

/// <summary>
/// What the real Orders.Api process writes while PostgreSQL goes away under traffic and comes back: one Error when the
/// store goes, one Information when it returns, one Warning per refused call, and no stack trace or per-probe line.
/// </summary>
[Requires(Need.PostgreSql)]
public sealed partial class StoreOutageLogTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Lines besides the store's two and the calls' own that an outage may cause (Kestrel, hosting): a handful, not one per call.</summary>
    private const int OtherWarningsBound = 3;

    [Fact]
    public async Task PostgresOutageUnderTraffic_OneErrorWhenItGoesOneInformationWhenItReturnsAWarningPerRefusedCall_NoStackTrace()
    {
        var postgres = new PostgresServer();
        try
        {
            await postgres.InitializeAsync();
            await using var api = await OrdersApiProcess.StartAsync(environment: new Dictionary<string, string>
            {
                ["ConnectionStrings__orders"] = postgres.ConnectionString("postgres"),
            });
            using var channel = api.CreateChannel();
            var client = new OrderManagement.OrderManagementClient(channel);
            var health = new Health.HealthClient(channel);
            using var writes = OrderTraffic.Writes(client);
            using var reads = OrderTraffic.Reads(client, "101");

            await writes.WaitForAsync(StatusCode.OK, 5, "writes before the outage");
            var outageStart = api.Output.Length;
            await postgres.StopAsync();
            await writes.WaitForAsync(StatusCode.Unavailable, 3, "UNAVAILABLE writes while PostgreSQL is down");
            await AssertNotReadyThroughoutAsync(api, health, Outage);

            await postgres.StartAsync();
            await writes.WaitForAsync(StatusCode.OK, writes.Count(StatusCode.OK) + 5, "writes after PostgreSQL is back");
            await reads.WaitForAsync(StatusCode.OK, reads.Count(StatusCode.OK) + 5, "reads after PostgreSQL is back");
            await writes.StopAsync();
            await reads.StopAsync();

            await AssertOneOutageLoggedAsync(api, outageStart, writes.Count(StatusCode.Unavailable) + reads.Count(StatusCode.Unavailable), output);
            Assert.DoesNotContain(postgres.Password, api.Output, StringComparison.Ordinal);
            foreach (var id in writes.Acknowledged)
            {
                Assert.Equal(id, (await client.getOrderAsync(new Google.Protobuf.WellKnownTypes.StringValue { Value = id })).Id);
            }
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    /// <summary>Probes readiness as an orchestrator would, every <see cref="ProbeInterval"/>: not ready each time.</summary>
    internal static async Task AssertNotReadyThroughoutAsync(OrdersApiProcess api, Health.HealthClient health, TimeSpan duration)
    {
        for (var probing = TimeSpan.Zero; probing < duration; probing += ProbeInterval)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await api.GetStatusAsync("/health"));
            Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
            await Task.Delay(ProbeInterval);
        }
    }

    /// <summary>
    /// What <paramref name="api"/> wrote since <paramref name="since"/> (an offset in its output) is one outage: one
    /// Error when the store went, one Information when it returned, a Warning for each of the
    /// <paramref name="refusedCalls"/> UNAVAILABLE calls, one line per record, no stack trace, few other warnings.
    /// </summary>
    internal static async Task AssertOneOutageLoggedAsync(OrdersApiProcess api, int since, int refusedCalls, ITestOutputHelper output)
    {
        var records = ConsoleRecord.Parse(await Eventually.HoldsAsync(
            () => Task.FromResult(api.Output[since..]), text => UnavailableCallEnds(ConsoleRecord.Parse(text)).Count() >= refusedCalls,
            "an end line for every refused call", timeoutSeconds: 30));
        var errors = records.Where(r => r.Level is "fail" or "crit").ToList();
        var returned = records.Where(r => r.Category == typeof(OrderStoreAvailability).FullName && r.Level == "info").ToList();
        var others = records.Where(r => r.IsWarningOrWorse && r.Category != typeof(ServerCallTrackingInterceptor).FullName && r.Level != "fail").ToList();
        var stackTraceLines = records.Count(r => r.Line.Contains("   at ", StringComparison.Ordinal));
        output.WriteLine($"{refusedCalls} calls refused: {UnavailableCallEnds(records).Count(r => r.Level == "warn")} Warning end lines, {errors.Count} Error lines, " +
            $"{returned.Count} store-returned lines, {stackTraceLines} lines with a stack trace, {others.Count} other warnings");
        foreach (var record in records.Where(r => r.IsWarningOrWorse && !UnavailableCallEnds([r]).Any()).Concat(returned))
        {
            output.WriteLine(record.Line);
        }

        // One record per line: a stack trace or a message's second line would be a line of its own.
        Assert.DoesNotContain(records, r => r.Level == "");
        Assert.Equal([(typeof(OrderStoreAvailability).FullName!, 23)], errors.Select(r => (r.Category, r.EventId)));
        Assert.Contains("The order store became unavailable; ", errors[0].Line, StringComparison.Ordinal);
        Assert.Equal(24, Assert.Single(returned).EventId);
        Assert.All(UnavailableCallEnds(records), r => Assert.Equal("warn", r.Level));
        Assert.Equal(refusedCalls, UnavailableCallEnds(records).Count());
        Assert.Equal(0, stackTraceLines);
        Assert.DoesNotContain(records, r => ExceptionTypeName().IsMatch(r.Line));
        Assert.True(others.Count <= OtherWarningsBound, $"{others.Count} other warnings:\n{string.Join('\n', others.Select(r => r.Line))}");
    }

    private static IEnumerable<ConsoleRecord> UnavailableCallEnds(IEnumerable<ConsoleRecord> records) =>
        records.Where(r => r.Category == typeof(ServerCallTrackingInterceptor).FullName && r.Line.Contains(" ended UNAVAILABLE ", StringComparison.Ordinal));

    // An exception's type as ToString() dumps it ("Npgsql.NpgsqlException (0x80004005): …", "SocketException: …").
    [GeneratedRegex(@"[A-Za-z]Exception(: | \(0x)")]
    private static partial Regex ExceptionTypeName();
}
