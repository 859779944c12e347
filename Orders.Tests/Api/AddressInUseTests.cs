using System.Net;
using System.Net.Sockets;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

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

        var run = await AppRun.RunAsync(project, new Dictionary<string, string?>(), "--urls", address);

        AppRun.AssertRefusedWithOneLine(run, 2, $"{address}: address already in use", "--urls http://127.0.0.1:PORT");
    }
}
