using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>The built Orders.Api as a real process: h2c on the URL given with --urls, health and reflection.</summary>
[Requires(Need.Process)]
public sealed class OrdersApiProcessTests(OrdersApiProcessFixture fixture) : IClassFixture<OrdersApiProcessFixture>
{
    private readonly OrdersApiProcess api = fixture.Api;

    [Fact]
    public async Task ServesTheContractOverH2cOnTheConfiguredUrl()
    {
        using var channel = api.CreateChannel();
        var order = await new OrderManagement.OrderManagementClient(channel).getOrderAsync(new StringValue { Value = "101" });

        Assert.Equal(["Item - A", "Item - B"], order.Items);
    }

    [Fact]
    public async Task AnswersGrpcHealthChecksIncludingTheStore()
    {
        using var channel = api.CreateChannel();
        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task ListsTheServiceThroughServerReflection()
    {
        using var channel = api.CreateChannel();
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name);
        Assert.Contains("ecommerce.OrderManagement", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Theory]
    [InlineData("Orders__Processing__BatchSize", "0", "OrdersOptions.Processing.BatchSize must be between 1 and 10000")]
    [InlineData("Orders__Storage__Provider", "Mongo", "'Mongo' at 'Orders:Storage:Provider'")]
    [InlineData("Kestrel__Limits__Http2__MaxStreamsPerConnection", "0", "Kestrel:Limits: A value greater than zero is required.")]
    [InlineData("Orders__Storage__MaxInitializeRetryDelayMs", "0", "OrdersOptions.Storage.MaxInitializeRetryDelayMs must be between 100 and 3600000")]
    [InlineData("Orders__Authentication__Enabled", "true", "Authentication:Schemes:Bearer:ValidIssuer (or ValidIssuers) is required")]
    public async Task BadSettingsStopTheServiceAtStartWithAPreciseMessage(string name, string value, string message)
    {
        // A real process: what an operator sees is the exit and the message, not a host object in a test.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            OrdersApiProcess.StartAsync(environment: new Dictionary<string, string> { [name] = value }));

        Assert.Matches(@"Orders\.Api exited with [1-9][0-9]*:", error.Message);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
