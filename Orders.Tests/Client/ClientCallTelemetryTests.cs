using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry.Trace;
using Orders.Client.Hosting;
using Orders.Client.Interceptors;
using Orders.Tests.Api;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;
using static Ecommerce.OrderManagement;
using StatusCode = Grpc.Core.StatusCode;

namespace Orders.Tests.Client;

/// <summary>
/// What the client's telemetry says about one call to Orders.Api on real Kestrel: the client span names the address
/// really called and the request id, and a deadline-exceeded call is one warning line, in the call's trace.
/// </summary>
[Collection(ProcessWideTelemetryDefinition.Name)]
public sealed class ClientCallTelemetryTests : IAsyncLifetime
{
    private static readonly string[] LoopbackAddresses = ["127.0.0.1", "::1"];

    private readonly int port = FreePort.Next();

    private OrdersApiFactory Api { get; set; } = null!;

    private Uri Loopback => new($"http://127.0.0.1:{port}");

    public Task InitializeAsync()
    {
        Api = new OrdersApiFactory();
        Api.UseKestrel(port);
        Api.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();

    [Fact]
    public async Task ClientSpan_OfACallThroughServiceDiscovery_NamesTheAddressCalledAndTheRequestId()
    {
        var client = await ClientSpanOfACallAsync(OrdersApiAddress.ServiceDiscoveryName);

        Assert.Equal(("127.0.0.1", port), (client.GetTagItem("server.address"), client.GetTagItem("server.port")));
        Assert.Equal(("127.0.0.1", port), (client.GetTagItem("network.peer.address"), client.GetTagItem("network.peer.port")));
        var requestId = Assert.IsType<string>(client.GetTagItem("orders.request_id"));
        var server = await Api.ServerSpanAsync(requestId);
        Assert.Equal(client.TraceId, server.TraceId);
    }

    [Fact]
    public async Task ClientSpan_CarriesTheRpcAttributesTheAspireDashboardReads()
    {
        var client = await ClientSpanOfACallAsync(OrdersApiAddress.ServiceDiscoveryName);

        // ServiceDefaults' enricher: the dashboard shows a span as "RPC service/method status" from these.
        Assert.Equal("grpc", client.GetTagItem("rpc.system"));
        Assert.Equal("ecommerce.OrderManagement", client.GetTagItem("rpc.service"));
        Assert.Equal("getOrder", client.GetTagItem("rpc.method"));
        Assert.Equal(0, client.GetTagItem("rpc.grpc.status_code"));
    }

    [Fact]
    public async Task ClientSpan_OfABalancedCall_NamesTheAddressTheBalancerPicked()
    {
        var client = await ClientSpanOfACallAsync(new Uri($"dns:///localhost:{port}"));

        // localhost resolves to the loopback addresses Kestrel listens on; the span names the one the call went to.
        var picked = Assert.IsType<string>(client.GetTagItem("server.address"));
        Assert.Contains(picked, LoopbackAddresses);
        Assert.Equal((picked, port), (client.GetTagItem("network.peer.address"), client.GetTagItem("network.peer.port")));
        Assert.Equal(port, client.GetTagItem("server.port"));
    }

    /// <summary>
    /// One getOrder through the client as Orders.Client builds it (ServiceDefaults, discovery naming orders-api as an
    /// AppHost would, the factory-made client) at <paramref name="address"/>; returns its exported gRPC client span.
    /// </summary>
    private async Task<Activity> ClientSpanOfACallAsync(Uri address)
    {
        var spans = new SpanCollection();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["services:orders-api:http:0"] = Loopback.ToString() });
        builder.AddServiceDefaults();
        builder.Services.AddOrdersClient(address);
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans));
        using var host = builder.Build();
        await host.StartAsync();
        ActivityTraceId traceId;
        using (var caller = new Activity("test caller").Start())
        {
            traceId = caller.TraceId;
            await host.Services.GetRequiredService<OrderManagementClient>().getOrderAsync(new StringValue { Value = "101" });
        }

        // The provider sees every gRPC client span in the process (tests run in parallel): this call's is in this trace.
        var client = await spans.WaitForAsync(
            s => s.TraceId == traceId && s.Kind == ActivityKind.Client && s.Source.Name == "OpenTelemetry.Instrumentation.GrpcNetClient",
            "this call's gRPC client span");
        await host.StopAsync();
        return client;
    }

    [Fact]
    public async Task DeadlineExceededCall_IsOneWarning_InTheCallsTrace()
    {
        using var client = InProcessOrdersClient.ForAddress(Loopback);
        var slowCall = new Metadata { { "x-orders-delay-ms", "3000" } };

        ActivityTraceId traceId;
        using (var caller = new Activity("test caller").Start())
        {
            traceId = caller.TraceId;
            var error = await Assert.ThrowsAsync<RpcException>(() => client.GetRequiredService<OrderManagementClient>()
                .getOrderAsync(new StringValue { Value = "101" }, slowCall, DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);
            Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        }

        // Grpc.Net.Client's warning comes from its deadline timer; give a late one time to show up.
        await Task.Delay(300);
        var warning = Assert.Single(client.GetFakeLogCollector().GetSnapshot(), r => r.Level >= LogLevel.Warning);
        Assert.Equal(typeof(ClientCallInterceptor).FullName, warning.Category);
        Assert.Equal("DEADLINE_EXCEEDED", warning.GetStructuredStateValue("StatusCode"));
        Assert.Equal(traceId.ToHexString(), TraceIdOf(warning));
    }

    /// <summary>The trace id the logger factory attached to a line (what OpenTelemetry's exporter sends as the record's trace id).</summary>
    private static string? TraceIdOf(FakeLogRecord record) => record.Scopes
        .OfType<IEnumerable<KeyValuePair<string, object?>>>()
        .SelectMany(scope => scope)
        .FirstOrDefault(pair => pair.Key == "TraceId").Value?.ToString();
}
