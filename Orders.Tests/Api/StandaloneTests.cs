using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using Orders.Tests.Client;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;

namespace Orders.Tests.Api;

/// <summary>
/// docs/running.md's standalone pair, <c>dotnet run --project Orders.Api</c> then <c>dotnet run --project Orders.Client</c>:
/// the built API with its launch profile's settings (Development, nothing else set) on a free port instead of
/// 50051, and the client's default command against it.
/// </summary>
[Requires(Need.Process)]
public sealed class StandaloneTests
{
    [Fact]
    public async Task TheScenarioPassesAgainstTheApiAsItsLaunchProfileStartsIt()
    {
        await using var api = await OrdersApiProcess.StartAsync(
            faultInjection: null, seedSampleData: null, environment: new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });

        var run = await ClientProcess.RunAsync(["--address", api.Address.ToString()]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(" FAIL ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Fault injection is on: x-orders-delay-ms", api.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithFaultInjectionOff_TheDelayHeaderIsIgnoredAndSaysSo()
    {
        await using var api = await OrdersApiProcess.StartAsync(faultInjection: false);
        using var channel = api.CreateChannel();
        var client = new Ecommerce.OrderManagement.OrderManagementClient(channel);

        using var call = client.getOrderAsync(new StringValue { Value = "101" }, new Metadata { { OrdersHeaders.DelayMs, "2000" } }, deadline: DateTime.UtcNow.AddSeconds(30));
        await call.ResponseAsync;

        Assert.Contains("Fault injection is off: x-orders-delay-ms is ignored", api.Output, StringComparison.Ordinal);
        Assert.Equal("2000 ms not applied: fault injection is off (Orders:FaultInjection:Enabled=false)", call.GetTrailers().GetValue(OrdersHeaders.DelayIgnored));
        using var plain = client.getOrderAsync(new StringValue { Value = "101" });
        await plain.ResponseAsync;
        Assert.Null(plain.GetTrailers().GetValue(OrdersHeaders.DelayIgnored));
        // Kestrel's trailers-only answer (no message): the notice is in the one header block, beside the status.
        var notFound = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(
            new StringValue { Value = "999" }, new Metadata { { OrdersHeaders.DelayMs, "250" } }).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "250 ms not applied: fault injection is off (Orders:FaultInjection:Enabled=false)"),
            (notFound.StatusCode, notFound.Trailers.GetValue(OrdersHeaders.DelayIgnored)));
    }
}
