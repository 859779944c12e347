using System.Diagnostics.Metrics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Orders.Client.Interceptors;
using OrdersAspire.Shared;

namespace Orders.Tests.Api;

/// <summary>
/// OpenTelemetry's newer RPC names (rpc.system.name, rpc.response.status_code) are written beside the older set only when
/// OTEL_SEMCONV_STABILITY_OPT_IN lists "rpc" or "rpc/dup"; the older set the Aspire dashboard reads stays either way.
/// </summary>
public sealed class RpcNamesOptInTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("http", false)]
    [InlineData("rpcx", false)]
    [InlineData("rpc/dupe", false)]
    [InlineData("rpc", true)]
    [InlineData("rpc/dup", true)]
    [InlineData("http, rpc/dup", true)]
    [InlineData("database,rpc ", true)]
    public void TheOptIn_AsksForTheNewerNames_WhenItListsRpc(string? optIn, bool newerNames) =>
        Assert.Equal(newerNames, RpcSemanticConventions.WritesNewerNames(optIn));

    [Theory]
    [InlineData("rpc/dup")]
    [InlineData("rpc")]
    public async Task OptedIn_TheServerSpanAndItsMetrics_CarryBothSets(string optIn)
    {
        await using var api = new OrdersApiFactory(new Dictionary<string, string?> { [RpcSemanticConventions.StabilityOptIn] = optIn });
        using var durations = new MetricCollector<double>(api.Services.GetRequiredService<IMeterFactory>(), "Orders.Api", "rpc.server.call.duration");
        var requestId = Guid.NewGuid().ToString("N");

        var failure = await Assert.ThrowsAsync<RpcException>(
            () => api.CreateOrdersClient().getOrderAsync(new StringValue { Value = "999" }, new Metadata { { "x-request-id", requestId } }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
        var span = await api.ServerSpanAsync(requestId);
        var measured = Assert.Single(durations.GetMeasurementSnapshot());
        foreach (var tag in new Func<string, object?>[] { span.GetTagItem, key => measured.Tags.GetValueOrDefault(key) })
        {
            Assert.Equal(("grpc", "ecommerce.OrderManagement", "getOrder", 5), (tag("rpc.system"), tag("rpc.service"), tag("rpc.method"), tag("rpc.grpc.status_code")));
            Assert.Equal(("grpc", "NOT_FOUND", "NOT_FOUND"), (tag("rpc.system.name"), tag("rpc.response.status_code"), tag("error.type")));
        }
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("rpc/dup", true)]
    public void TheClientsMetrics_FollowTheOptIn(string? optIn, bool newerNames)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var durations = new MetricCollector<double>(meterFactory, ClientCallMetrics.MeterName, "rpc.client.call.duration");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(RpcSemanticConventions.StabilityOptIn, optIn)]).Build();
        var marshaller = Marshallers.Create(message => message.ToByteArray(), StringValue.Parser.ParseFrom);
        var getOrder = new Method<StringValue, StringValue>(MethodType.Unary, "ecommerce.OrderManagement", "getOrder", marshaller, marshaller);

        new ClientCallMetrics(meterFactory, configuration).Record(getOrder, RpcCallTypes.Unary, StatusCode.OK, TimeSpan.FromMilliseconds(1), 1, 1);

        var tags = Assert.Single(durations.GetMeasurementSnapshot()).Tags;
        Assert.Equal(("getOrder", 0), (tags["rpc.method"], tags["rpc.grpc.status_code"]));
        Assert.Equal(newerNames ? ("grpc", "OK") : (null, null), (tags.GetValueOrDefault("rpc.system.name"), tags.GetValueOrDefault("rpc.response.status_code")));
    }
}
