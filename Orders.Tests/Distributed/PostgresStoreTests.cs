using System.Runtime.Versioning;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Ecommerce;
using Grpc.Net.Client;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>The order store under Aspire: orders added in one run of the app are there in the next run on the same data folder.</summary>
// Run on Linux only, as the AppHost's PostgreSQL store is.
[SupportedOSPlatform("linux")]
[Requires(Need.PostgreSql | Need.AppHost)]
public sealed class PostgresStoreTests : IDisposable
{
    private static readonly TimeSpan ServerGoneTimeout = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo dataDirectory = Directory.CreateTempSubdirectory("orders-store-");

    public PostgresStoreTests() =>
        // Under root PostgreSQL runs as the postgres user, which must traverse the data folder.
        dataDirectory.UnixFileMode |= UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public async Task PostgresKeepsOrdersAcrossRunsAndStopsWithTheApp()
    {
        string id;
        await using (var first = await AspireApp.StartAsync(dataDirectory.FullName, "--store", "postgres"))
        {
            await WaitHealthyAsync(first, "postgres");
            await WaitHealthyAsync(first, "orders");
            id = await AddOrderAsync(first);
        }

        // The cluster's folder is in every PostgreSQL server process's command line (-D).
        var serverGone = await Eventually.WithinAsync(() => AppHostProcess.ProcessesMentioning(dataDirectory.FullName).Count == 0, ServerGoneTimeout, TimeSpan.FromMilliseconds(250));
        Assert.True(serverGone, $"Still running {ServerGoneTimeout.TotalSeconds} s after the app stopped:\n{string.Join('\n', AppHostProcess.ProcessesMentioning(dataDirectory.FullName))}");

        await using var second = await AspireApp.StartAsync(dataDirectory.FullName, "--store", "postgres");
        await AssertOrderAsync(second, id);
    }

    [Fact]
    public async Task SqliteKeepsOrdersAcrossRuns()
    {
        string id;
        await using (var first = await AspireApp.StartAsync(dataDirectory.FullName))
        {
            id = await AddOrderAsync(first);
        }

        Assert.True(File.Exists(Path.Combine(dataDirectory.FullName, "orders.db")));
        await using var second = await AspireApp.StartAsync(dataDirectory.FullName);
        await AssertOrderAsync(second, id);
    }

    public void Dispose() => dataDirectory.Delete(recursive: true);

    private static async Task WaitHealthyAsync(AspireApp aspire, string resource)
    {
        using var timeout = new CancellationTokenSource(AspireApp.StartTimeout);
        await aspire.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    private static async Task<string> AddOrderAsync(AspireApp aspire)
    {
        using var channel = GrpcChannel.ForAddress(aspire.App.GetEndpoint("orders-api", "http"));
        var added = await new OrderManagement.OrderManagementClient(channel).addOrderAsync(
            new Order { Items = { "Durable" }, Price = 7.5f, Description = "kept across runs", Destination = "Oslo" }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.False(string.IsNullOrEmpty(added.Value));
        return added.Value;
    }

    private static async Task AssertOrderAsync(AspireApp aspire, string id)
    {
        using var channel = GrpcChannel.ForAddress(aspire.App.GetEndpoint("orders-api", "http"));
        var order = await new OrderManagement.OrderManagementClient(channel).getOrderAsync(
            new Google.Protobuf.WellKnownTypes.StringValue { Value = id }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(["Durable"], order.Items);
        Assert.Equal("kept across runs", order.Description);
        Assert.Equal("Oslo", order.Destination);
    }
}
