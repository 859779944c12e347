using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;
using InsightsEndpoints = OrdersAspire.GrpcInsights.Configuration.InsightsEndpoints;

namespace Orders.Tests.GrpcInsights;

/// <summary><c>OrdersAspire.GrpcInsights healthcheck</c>, the container's health-check command, against running insights.</summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class InsightsHealthCheckTests
{
    [Theory]
    [InlineData("http://127.0.0.1:{port}")]
    [InlineData("http://+:{port}")]
    [Requires(Need.Process)]
    public async Task RunningInsights_AreHealthy(string urls)
    {
        await using var insights = await InsightsHost.StartAsync();
        var port = insights.FrontendUrl.Port;

        var probe = await HealthCheckProbe.RunAsync("OrdersAspire.GrpcInsights", new Dictionary<string, string> { ["ASPNETCORE_URLS"] = urls.Replace("{port}", $"{port}") });

        Assert.True(probe.ExitCode == 0, probe.Output);
        Assert.Equal($"healthy: http://127.0.0.1:{port}/health answered 200 Healthy", probe.Output.Trim());
    }

    [Fact]
    [Requires(Need.Process)]
    public async Task SecuredInsights_AnswerTheProbeWithoutAToken()
    {
        // A UI beyond loopback is secured by default; probes carry no browser token and must not be sent to /login.
        await using var insights = await InsightsHost.StartAsync("Insights:Frontend:AuthMode=BrowserToken");

        var probe = await HealthCheckProbe.RunAsync("OrdersAspire.GrpcInsights", new Dictionary<string, string> { ["ASPNETCORE_URLS"] = insights.FrontendUrl.ToString() });

        Assert.True(probe.ExitCode == 0, probe.Output);
    }

    [Fact]
    [Requires(Need.Process)]
    public async Task NothingListening_IsUnhealthy()
    {
        var port = FreePort.Next();

        var probe = await HealthCheckProbe.RunAsync("OrdersAspire.GrpcInsights", new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        Assert.Equal(1, probe.ExitCode);
        Assert.StartsWith($"unhealthy: http://127.0.0.1:{port}/health: Connection refused", probe.Output.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:18888/")]
    // The insights listen where urls says, or on its default: never on HTTP_PORTS, which the .NET images set to 8080.
    [InlineData(null, "8080", "http://127.0.0.1:18888/")]
    [InlineData("https://0.0.0.0:18443;http://0.0.0.0:18080", "8080", "http://127.0.0.1:18080/")]
    public void TheProbeGoesWhereTheInsightsListen(string? urls, string? httpPorts, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [KestrelAddresses.UrlsKey] = urls,
            ["http_ports"] = httpPorts,
        }).Build();

        var target = InsightsEndpoints.FrontendHealthCheckTarget(configuration);

        Assert.Equal(new Uri(expected), target.BaseAddress);
        Assert.False(target.Http2Only);
    }
}
