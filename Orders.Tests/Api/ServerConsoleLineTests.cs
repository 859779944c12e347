using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// The real Orders.Api's console in Development (as under the AppHost and <c>dotnet run</c>): one readable line per
/// call, OK or not, with nothing empty and no cancellation mentioned when there was none.
/// </summary>
[Requires(Need.Process)]
public sealed class ServerConsoleLineTests
{
    [Fact]
    public async Task InDevelopment_EachCallIsOneConsoleLine()
    {
        // Development's level for Orders.Api (appsettings.Development.json); the test helper's own default is Trace.
        await using var api = await OrdersApiProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Orders.Api"] = "Debug",
        });
        using var channel = api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        var (ok, missing) = ($"ok-{Guid.NewGuid():N}", $"missing-{Guid.NewGuid():N}");

        await client.getOrderAsync(new StringValue { Value = "101" }, new Metadata { { "x-request-id", ok } }, DateTime.UtcNow.AddSeconds(10));
        await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = "404" }, new Metadata { { "x-request-id", missing } }).ResponseAsync);

        var okLine = (await api.CallLogAsync(ok)).Ended;
        Assert.Matches($"gRPC ecommerce.OrderManagement/getOrder \\(unary\\) ended OK after [0-9.]+ ms; deadline remaining [0-9]+ ms; received 1, sent 1; request id {ok}$", okLine);
        var missingLine = (await api.CallLogAsync(missing)).Ended;
        Assert.Matches($"gRPC ecommerce.OrderManagement/getOrder \\(unary\\) ended NOT_FOUND after [0-9.]+ ms: Order 404 not found\\.; no deadline; received 1, sent 0; request id {missing}$", missingLine);
        var lines = api.Output.Split('\n');
        Assert.Single(lines, line => line.Contains(ok, StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains(missing, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("''", StringComparison.Ordinal) || line.Contains("cancelled", StringComparison.OrdinalIgnoreCase));
    }
}
