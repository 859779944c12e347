using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Orders.Client.Scenario;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>
/// The whole app with <c>--auth on</c>: orders-api checks tokens signed with the run's generated key, the client's scenario
/// passes every step with the token the AppHost minted for it, and a call without a token is refused.
/// </summary>
[Requires(Need.AppHost)]
public sealed class AuthenticatedAppTests : IAsyncLifetime
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("orders-auth-").FullName;

    private AspireApp Aspire { get; set; } = null!;

    public async Task InitializeAsync() =>
        Aspire = await AspireApp.StartAsync(dataDirectory, "--auth", "on", "--loop-interval", "1s");

    public async Task DisposeAsync()
    {
        if (Aspire is not null)
        {
            await Aspire.DisposeAsync();
        }

        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task TheScenarioPassesWithTheMintedToken_AndACallWithoutATokenIsUnauthenticated_AndACallCommandCarriesTheToken()
    {
        using var channel = GrpcChannel.ForAddress(Aspire.App.GetEndpoint("orders-api", "http"));
        var anonymous = await Record.ExceptionAsync(() => new OrderManagement.OrderManagementClient(channel)
            .getOrderAsync(new StringValue { Value = "103" }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(anonymous).StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        // Every step of the scenario, reads and writes, ran with the client's token and got the status it expects.
        var spans = await Eventually.HoldsAsync(
            () => Aspire.Telemetry.RecentSpansAsync(),
            all => Steps(all).Select(s => s["scenario.step"]).Distinct().Count() == ScenarioSteps.All.Count,
            $"all {ScenarioSteps.All.Count} scenario steps traced");
        Assert.All(Steps(spans), step => Assert.True(step["scenario.actual"] == step["scenario.expected"], $"{step.Name}: expected {step["scenario.expected"]}, got {step["scenario.actual"]}"));
        Assert.Contains(Steps(spans), step => step.Name == "scenario add an order" && step["scenario.actual"] == "OK");

        // A dashboard command's run of the client gets the resource's environment, token included: the server looks the order up.
        var lookup = await Aspire.ExecuteCommandWhenEnabledAsync("orders-client", "get-missing-order");
        Assert.True(lookup.Success, lookup.Message);
        Assert.StartsWith("ERROR: NOT_FOUND (5)", lookup.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<DashboardSpan> Steps(IReadOnlyList<DashboardSpan> spans) =>
        spans.Where(s => s.Service == "orders-client" && s["scenario.actual"] is not null);
}
