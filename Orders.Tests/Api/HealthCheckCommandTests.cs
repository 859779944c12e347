using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api;

/// <summary>
/// <c>Orders.Api healthcheck</c>, the container's health-check command: the built app, run in its own folder, finds its
/// address in its configuration as the service does, asks /health over h2c on loopback and exits 0 or 1.
/// </summary>
[Requires(Need.Process)]
public sealed class HealthCheckCommandTests(OrdersApiProcessFixture fixture) : IClassFixture<OrdersApiProcessFixture>
{
    [Theory]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:{port}")]
    [InlineData("ASPNETCORE_URLS", "http://+:{port}")]
    [InlineData("ASPNETCORE_URLS", "http://0.0.0.0:{port}")]
    [InlineData("ASPNETCORE_URLS", "https://+:1;http://*:{port}")]
    [InlineData("HTTP_PORTS", "{port}")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "{port};1")]
    [InlineData("Kestrel__Endpoints__grpc__Url", "http://localhost:{port}")]
    public async Task ARunningService_IsHealthyWhereverItsConfigurationSaysItListens(string variable, string value)
    {
        var port = fixture.Api.Address.Port;

        var probe = await HealthCheckProbe.RunAsync("Orders.Api", new Dictionary<string, string> { [variable] = value.Replace("{port}", $"{port}") });

        Assert.True(probe.ExitCode == 0, probe.Output);
        Assert.Equal($"healthy: http://127.0.0.1:{port}/health answered 200 Healthy", probe.Output.Trim());
    }

    [Fact]
    public async Task NothingListening_IsUnhealthy()
    {
        var port = FreePort.Next();

        var probe = await HealthCheckProbe.RunAsync("Orders.Api", new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        Assert.Equal(1, probe.ExitCode);
        Assert.StartsWith($"unhealthy: http://127.0.0.1:{port}/health: Connection refused", probe.Output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnavailableStore_IsUnhealthy()
    {
        // A SQLite file in a folder that does not exist: the service starts and stays alive, its store unavailable.
        var missingFolder = Path.Combine(Path.GetTempPath(), $"orders-missing-{Guid.NewGuid():N}");
        await using var api = await OrdersApiProcess.StartAsync(
            urlFromEnvironment: true,
            waitForStore: false,
            environment: new Dictionary<string, string> { ["ConnectionStrings__orders"] = $"Data Source={Path.Combine(missingFolder, "orders.db")}" });

        var probe = await HealthCheckProbe.RunAsync("Orders.Api", new Dictionary<string, string> { ["ASPNETCORE_URLS"] = api.Address.ToString() });

        Assert.Equal(1, probe.ExitCode);
        Assert.Equal($"unhealthy: http://127.0.0.1:{api.Address.Port}/health answered 503 Unhealthy", probe.Output.Trim());
    }
}
