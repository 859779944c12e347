using System.Net;
using System.Net.Sockets;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// Orders.Api and the gRPC insights, as built, started on an address another process holds: one line on stderr naming
/// the address and --urls, exit 2, no stack trace.
/// </summary>
[Requires(Need.Process)]
public sealed class AddressInUseTests
{
    [Theory]
    [InlineData("Orders.Api")]
    [InlineData("OrdersAspire.GrpcInsights")]
    public async Task AnAddressInUseIsOneLineNamingItAndExitTwo(string project)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
        var dll = RepositoryPaths.ProjectOutput(project);

        var run = await ExternalCommand.RunAsync("dotnet", [dll, "--urls", address], TimeSpan.FromSeconds(60), new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["ASPNETCORE_URLS"] = null,
            ["ConnectionStrings__orders"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"orders-clash-{Guid.NewGuid():N}.db")}",
            // The insights' OTLP endpoints on free ports, so only the UI address clashes.
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
        }, workingDirectory: Path.GetDirectoryName(dll));

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{address}: address already in use", line, StringComparison.Ordinal);
        Assert.Contains("--urls http://127.0.0.1:PORT", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }
}
