using System.Net;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Orders.Tests.Infrastructure;
using Orders.Api.Storage;
using RpcStatusCode = Grpc.Core.StatusCode;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Orders.Tests.Api;

/// <summary>
/// The store can come and go: Orders.Api starts without it, says so on both health endpoints, answers UNAVAILABLE with
/// RetryInfo, and serves (schema created, samples seeded) once the store answers — all without a restart.
/// Each test owns its PostgreSQL server, because it stops and starts it.
/// </summary>
public sealed class StoreOutageTests
{
    private static readonly TimeSpan RecoveryBound = OrderTraffic.WaitBound;

    [Fact]
    [Requires(Need.PostgreSql)]
    public async Task StartedBeforePostgres_ItStaysUpNotServingAndServesTheSeededOrdersOnceTheServerIsUp()
    {
        var postgres = new PostgresServer();
        try
        {
            await postgres.CreateClusterAsync();
            await using var api = await OrdersApiProcess.StartAsync(environment: Settings(postgres), waitForStore: false);
            using var channel = api.CreateChannel();
            var client = new OrderManagement.OrderManagementClient(channel);
            var health = new Health.HealthClient(channel);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, await api.GetStatusAsync("/health"));
            Assert.Equal(HttpStatusCode.OK, await api.GetStatusAsync("/alive"));
            Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
            AssertUnavailableWithRetryInfo(await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = "101" }).ResponseAsync));

            await postgres.StartAsync();

            await Eventually.HoldsAsync(
                async () => (await health.CheckAsync(new HealthCheckRequest())).Status, status => status == ServingStatus.Serving,
                "grpc.health.v1 SERVING once PostgreSQL is up", (int)RecoveryBound.TotalSeconds);
            Assert.Equal(HttpStatusCode.OK, await api.GetStatusAsync("/health"));
            Assert.Equal(["101", "102", "103", "104"], await SearchIdsAsync(client));
            Assert.True(api.IsRunning);
            Assert.Contains("The order store could not be initialized (attempt 1)", api.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(postgres.Password, api.Output, StringComparison.Ordinal);
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    [Fact]
    [Requires(Need.PostgreSql)]
    public async Task PostgresRestartedMidTraffic_CallsAreUnavailableMeanwhileThenTheSameProcessServesEveryAcknowledgedWrite()
    {
        var postgres = new PostgresServer();
        try
        {
            await postgres.InitializeAsync();
            await using var api = await OrdersApiProcess.StartAsync(environment: Settings(postgres));
            using var channel = api.CreateChannel();
            var client = new OrderManagement.OrderManagementClient(channel);
            using var traffic = OrderTraffic.Writes(client);

            await traffic.WaitForAsync(RpcStatusCode.OK, 5, "writes before the outage");
            await postgres.StopAsync();
            await traffic.WaitForAsync(RpcStatusCode.Unavailable, 3, "UNAVAILABLE while PostgreSQL is down");
            await postgres.StartAsync();
            await traffic.WaitForAsync(RpcStatusCode.OK, traffic.Count(RpcStatusCode.OK) + 5, "writes after PostgreSQL is back");
            await traffic.StopAsync();

            Assert.All(traffic.Outcomes, outcome => Assert.Contains(outcome.Status, new[] { RpcStatusCode.OK, RpcStatusCode.Unavailable }));
            AssertUnavailableWithRetryInfo(traffic.FirstUnavailable!);
            foreach (var id in traffic.Acknowledged)
            {
                Assert.Equal(id, (await client.getOrderAsync(new StringValue { Value = id })).Id);
            }

            Assert.True(api.IsRunning);
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    [Fact]
    public async Task SqliteInAFolderThatDoesNotExistYet_IsUnavailableUntilTheFolderAppears()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"orders-later-{Guid.NewGuid():N}");
        try
        {
            await using var factory = new OrdersApiFactory(new Dictionary<string, string?>
            {
                ["ConnectionStrings:orders"] = $"Data Source={Path.Combine(folder, "orders.db")}",
                ["Orders:Storage:MaxInitializeRetryDelayMs"] = "200",
            });
            using var http = factory.CreateClient();
            var client = factory.CreateOrdersClient();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
            AssertUnavailableWithRetryInfo(await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = "101" }).ResponseAsync));

            Directory.CreateDirectory(folder);

            await Eventually.HoldsAsync(
                async () => (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode, status => status == HttpStatusCode.OK,
                "/health OK once the folder exists", (int)RecoveryBound.TotalSeconds);
            Assert.Equal(["Item - A", "Item - B"], (await client.getOrderAsync(new StringValue { Value = "101" })).Items);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 8)]
    [InlineData(6, 10)]
    [InlineData(100_000, 10)]
    public void InitializationRetriesWaitTheClientsRetryDelayDoublingUpToTheCap(int attempt, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), OrderStoreInitializer.RetryDelay(attempt, TimeSpan.FromSeconds(10)));

    private static Dictionary<string, string> Settings(PostgresServer postgres) => new()
    {
        ["ConnectionStrings__orders"] = postgres.ConnectionString("postgres"),
        ["Orders__Storage__MaxInitializeRetryDelayMs"] = "500",
    };

    internal static void AssertUnavailableWithRetryInfo(RpcException error)
    {
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        var retry = error.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.RetryDelay.ToTimeSpan());
    }

    private static async Task<List<string>> SearchIdsAsync(OrderManagement.OrderManagementClient client)
    {
        using var search = client.searchOrders(new StringValue { Value = "" });
        var ids = new List<string>();
        await foreach (var order in search.ResponseStream.ReadAllAsync())
        {
            ids.Add(order.Id);
        }

        return ids;
    }
}
