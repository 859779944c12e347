using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Google.Protobuf.WellKnownTypes;
using Aspire.Hosting.ApplicationModel;
using Ecommerce;
using Grpc.Net.Client;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>One run of the whole app under Aspire (two orders-api replicas, the scenario every second), shared by the tests that only read it.</summary>
public sealed class TwoReplicaApp : IAsyncLifetime
{
    public const int Replicas = 2;

    private readonly string dataDirectory = Directory.CreateTempSubdirectory("orders-aspire-").FullName;

    public AspireApp Aspire { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Aspire = await AspireApp.StartAsync(dataDirectory, "--replicas", $"{Replicas}", "--loop-interval", "1s");

    public async Task DisposeAsync()
    {
        if (Aspire is not null)
        {
            await Aspire.DisposeAsync();
        }

        Directory.Delete(dataDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class TwoReplicaAppRun : ICollectionFixture<TwoReplicaApp>
{
    public const string Name = "Aspire app, two replicas";
}

[Collection(TwoReplicaAppRun.Name)]
[Requires(Need.AppHost)]
public sealed class AppModelTests(TwoReplicaApp fixture)
{
    private AspireApp Aspire => fixture.Aspire;

    [Fact]
    public async Task OrdersApiIsHealthyAndServesTheSampleOrdersThroughItsAspireEndpoint()
    {
        using var channel = GrpcChannel.ForAddress(Aspire.App.GetEndpoint("orders-api", "http"));
        var order = await new OrderManagement.OrderManagementClient(channel).getOrderAsync(new StringValue { Value = "103" }, deadline: DateTime.UtcNow.AddSeconds(10));

        // 103 is a sample order the scenario updates but never deletes.
        Assert.Equal("103", order.Id);
        Assert.Equal(["Item - A", "Item - E"], order.Items);
    }

    [Fact]
    public async Task TheGrpcInsightsAreAResourceWhoseUrlTheDashboardShows()
    {
        using var timeout = new CancellationTokenSource(AspireApp.StartTimeout);
        var insights = await Aspire.App.ResourceNotifications.WaitForResourceAsync(
            "grpc-insights", e => e.Snapshot.Urls.Any(u => !u.IsInactive && u.DisplayProperties.DisplayName == "gRPC insights"), timeout.Token);

        var url = insights.Snapshot.Urls.First(u => u.DisplayProperties.DisplayName == "gRPC insights").Url;
        Assert.Equal(Aspire.App.GetEndpoint("grpc-insights", "http"), new Uri(url));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var status = await http.GetAsync(new Uri(new Uri(url), "/api/status"));
        Assert.Equal(System.Net.HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task OrdersApiOffersABrowserItsHealthPageAndLabelsItsGrpcUrlForGrpcClients()
    {
        using var timeout = new CancellationTokenSource(AspireApp.StartTimeout);
        var api = await Aspire.App.ResourceNotifications.WaitForResourceAsync(
            "orders-api", e => e.Snapshot.Urls.Any(u => !u.IsInactive && u.Name == "health") && !e.Snapshot.HealthReports.IsEmpty, timeout.Token);

        // h2c answers a browser with "An HTTP/1.x request was sent to an HTTP/2 only endpoint": shown in the details only.
        var grpc = Assert.Single(api.Snapshot.Urls, u => u.Name == "http");
        Assert.Equal("gRPC (h2c): use a gRPC client", grpc.DisplayProperties.DisplayName);
        Assert.True(grpc.IsInternal);

        var health = Assert.Single(api.Snapshot.Urls, u => u.Name == "health");
        Assert.Equal("Health", health.DisplayProperties.DisplayName);
        Assert.False(health.IsInternal);
        var healthUrl = new Uri(health.Url);
        Assert.Equal(("127.0.0.1", "/health"), (healthUrl.Host, healthUrl.AbsolutePath));

        // What a browser sends to a plain http:// URL.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, healthUrl) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.SendAsync(request);
        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version11), (response.StatusCode, response.Version));
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());

        var check = Assert.Single(api.Snapshot.HealthReports);
        Assert.Equal("orders-api /health (h2c)", check.Name);
    }

    [Fact]
    public async Task TwoReplicasShareTheCallsMadeOverSeparateConnections()
    {
        // Each channel is its own HTTP/2 connection, which DCP's proxy hands to one replica.
        var marker = $"replicas-{Guid.NewGuid():N}";
        for (var i = 0; i < 30; i++)
        {
            using var channel = GrpcChannel.ForAddress(Aspire.App.GetEndpoint("orders-api", "http"));
            await new OrderManagement.OrderManagementClient(channel).getOrderAsync(
                new StringValue { Value = "102" }, new Grpc.Core.Metadata { { "x-request-id", $"{marker}-{i}" } }, DateTime.UtcNow.AddSeconds(10));
        }

        var spans = await Eventually.HoldsAsync(
            () => Aspire.Telemetry.RecentSpansAsync(1000),
            all => ServedBy(all).Count == TwoReplicaApp.Replicas,
            $"calls tagged {marker} answered by {TwoReplicaApp.Replicas} orders-api replicas");

        // Aspire names a replica "<service>-<suffix>": the instance id is the suffix alone, not the service name again.
        Assert.All(ServedBy(spans), instance => Assert.DoesNotContain("orders-api", instance, StringComparison.Ordinal));

        HashSet<string> ServedBy(IReadOnlyList<DashboardSpan> all) =>
            [.. all.Where(s => s.Service == "orders-api" && s.Kind == DashboardSpan.ServerKind && s.Attributes.Values.Any(v => v.StartsWith(marker, StringComparison.Ordinal)))
                   .Select(s => s.InstanceId)];
    }

    [Fact]
    public async Task TheClientStopsAndStartsAgainThroughAspiresResourceCommands()
    {
        var stop = await Aspire.App.ResourceCommands.ExecuteCommandAsync("orders-client", KnownResourceCommands.StopCommand);
        Assert.True(stop.Success, stop.Message);
        Assert.Contains(await Aspire.WaitForStateAsync("orders-client", KnownResourceStates.Exited, KnownResourceStates.Finished),
            new[] { KnownResourceStates.Exited, KnownResourceStates.Finished });

        var restartedAt = DateTime.UtcNow;
        var start = await Aspire.App.ResourceCommands.ExecuteCommandAsync("orders-client", KnownResourceCommands.StartCommand);
        Assert.True(start.Success, start.Message);
        Assert.Equal(KnownResourceStates.Running, await Aspire.WaitForStateAsync("orders-client", KnownResourceStates.Running));

        // Running again means calling again: a scenario step traced after the restart.
        await Eventually.HoldsAsync(
            () => Aspire.Telemetry.RecentSpansAsync(200),
            spans => spans.Any(s => s.Service == "orders-client" && s["scenario.step"] is not null && s.StartTime > restartedAt),
            "a scenario step from the restarted client");
    }
}
