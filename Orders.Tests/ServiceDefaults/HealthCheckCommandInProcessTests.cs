using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.ServiceDefaults;

/// <summary>
/// The <c>healthcheck</c> command's probe against a real Kestrel on loopback: the one line it prints and its exit code
/// for each answer, for no answer, and for a configuration it cannot probe.
/// </summary>
[Collection(ConsoleOutputDefinition.Name)]
public sealed class HealthCheckCommandInProcessTests
{
    [Fact]
    public void OnlyTheWordHealthcheckAlone_RunsTheProbe()
    {
        Assert.True(HealthCheckCommand.IsRequested(["healthcheck"]));
        Assert.False(HealthCheckCommand.IsRequested([]));
        Assert.False(HealthCheckCommand.IsRequested(["healthcheck", "--urls"]));
        Assert.False(HealthCheckCommand.IsRequested(["run"]));
    }

    [Theory]
    [InlineData(200, "Healthy", HttpProtocols.Http1, 0, "healthy: {url} answered 200 Healthy")]
    [InlineData(503, "Unhealthy", HttpProtocols.Http1, 1, "unhealthy: {url} answered 503 Unhealthy")]
    [InlineData(200, "Healthy", HttpProtocols.Http2, 0, "healthy: {url} answered 200 Healthy")]
    [InlineData(200, "  two\nlines  ", HttpProtocols.Http1, 0, "healthy: {url} answered 200 two lines")]
    public async Task TheAnswerOfHealth_IsOneLineAndTheExitCode(int status, string body, HttpProtocols protocols, int exitCode, string line)
    {
        await using var app = await HealthEndpointAsync(protocols, async context =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body);
        });
        using var console = new ConsoleOutput();

        var exit = await HealthCheckCommand.RunAsync(_ => new HealthCheckTarget(app.Address, protocols == HttpProtocols.Http2));

        Assert.Equal(exitCode, exit);
        Assert.Equal(line.Replace("{url}", $"{app.Address}health", StringComparison.Ordinal), console.Out.Trim());
    }

    [Fact]
    public async Task ALongAnswer_IsCutToTwoHundredCharacters()
    {
        var body = new string('x', 200);
        await using var app = await HealthEndpointAsync(HttpProtocols.Http1, context => context.Response.WriteAsync(body + "beyond"));
        using var console = new ConsoleOutput();

        Assert.Equal(0, await HealthCheckCommand.RunAsync(_ => new HealthCheckTarget(app.Address, false)));
        Assert.Equal($"healthy: {app.Address}health answered 200 {body}", console.Out.Trim());
    }

    [Fact]
    public async Task ARedirect_IsNotFollowed_AndIsNoHealth()
    {
        await using var app = await HealthEndpointAsync(HttpProtocols.Http1, context =>
        {
            context.Response.Redirect("/elsewhere");
            return Task.CompletedTask;
        });
        using var console = new ConsoleOutput();

        Assert.Equal(1, await HealthCheckCommand.RunAsync(_ => new HealthCheckTarget(app.Address, false)));
        Assert.Equal($"unhealthy: {app.Address}health answered 302", console.Out.Trim());
    }

    [Fact]
    public async Task NothingListening_IsUnhealthyWithTheReason()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        using var console = new ConsoleOutput();

        Assert.Equal(1, await HealthCheckCommand.RunAsync(_ => new HealthCheckTarget(address, false)));
        Assert.StartsWith($"unhealthy: {address}health: Connection refused", console.Out.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAnswerWithinThreeSeconds_IsUnhealthy()
    {
        await using var app = await HealthEndpointAsync(HttpProtocols.Http1, context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        using var console = new ConsoleOutput();

        Assert.Equal(1, await HealthCheckCommand.RunAsync(_ => new HealthCheckTarget(app.Address, false)));
        Assert.Equal($"unhealthy: {app.Address}health: no answer within 3 s", console.Out.Trim());
    }

    [Theory]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(FormatException))]
    [InlineData(typeof(InvalidDataException))]
    public async Task AConfigurationItCannotProbe_IsUnhealthyWithTheReason(Type refusal)
    {
        using var console = new ConsoleOutput();

        var exit = await HealthCheckCommand.RunAsync(_ => throw (Exception)Activator.CreateInstance(refusal, "No http:// address to probe.")!);

        Assert.Equal(1, exit);
        Assert.Equal("unhealthy: No http:// address to probe.", console.Out.Trim());
    }

    /// <summary>A Kestrel on a free loopback port whose /health answers with <paramref name="answer"/>.</summary>
    private static async Task<HealthEndpoint> HealthEndpointAsync(HttpProtocols protocols, RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        var app = builder.Build();
        app.MapGet(HealthEndpoints.HealthPath, answer);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new HealthEndpoint(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    private sealed record HealthEndpoint(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
