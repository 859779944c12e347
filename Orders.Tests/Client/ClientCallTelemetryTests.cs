using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
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
using Orders.Tests.GrpcInsights;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;
using Xunit.Abstractions;
using static Ecommerce.OrderManagement;
using StatusCode = Grpc.Core.StatusCode;

namespace Orders.Tests.Client;

/// <summary>
/// What the client's telemetry says about one call to Orders.Api on real Kestrel: the client span names the address
/// really called, the request id and the budget the call was given, the insights read the budget spent before the
/// server saw the call from both spans, and a deadline-exceeded call is one warning line, in the call's trace.
/// </summary>
[Collection(ProcessWideTelemetryDefinition.Name)]
public sealed class ClientCallTelemetryTests(ITestOutputHelper output) : IAsyncLifetime
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

    [Fact]
    public async Task ClientSpan_CarriesTheBudgetTheCallerGaveTheCall()
    {
        var given = await ClientSpanOfACallAsync(OrdersApiAddress.ServiceDiscoveryName, TimeSpan.FromSeconds(4));
        var defaulted = await ClientSpanOfACallAsync(OrdersApiAddress.ServiceDiscoveryName);

        // The deadline less the moment the interceptor started the call: a hair under what was set.
        Assert.InRange(Assert.IsType<double>(given.GetTagItem("rpc.grpc.deadline_ms")), 3_900, 4_000);
        // No deadline of the caller's own: the client's default (Orders:Client:DefaultDeadline, 10s).
        Assert.InRange(Assert.IsType<double>(defaulted.GetTagItem("rpc.grpc.deadline_ms")), 9_900, 10_000);
    }

    [Fact]
    public async Task BudgetSpentInTransit_CountsTheTimeAProxyHeldTheRequest_WhichTheServersArrivalBudgetCannotSee()
    {
        await using var insights = await InsightsHost.StartAsync();
        await using var proxy = new HoldingTcpProxy(port, TimeSpan.FromMilliseconds(300));
        var otlp = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = insights.OtlpGrpcUrl.ToString().TrimEnd('/') };

        // A first call readies the server and the client's code, so both figures below are the transit alone.
        await ClientSpanOfACallAsync(Loopback);
        var held = await ClientSpanOfACallAsync(proxy.Address, TimeSpan.FromSeconds(10), otlp);
        var direct = await ClientSpanOfACallAsync(Loopback, TimeSpan.FromSeconds(10), otlp);

        var directCall = await CallWithBothSidesAsync(insights, direct.TraceId);
        var heldCall = await CallWithBothSidesAsync(insights, held.TraceId);
        var heldMs = proxy.Hold.TotalMilliseconds;
        output.WriteLine($"budget spent in transit: held {heldCall.GetProperty("budgetSpentInTransitMs")} ms, direct {directCall.GetProperty("budgetSpentInTransitMs")} ms");
        Assert.Equal(1, proxy.HeldConnections);
        Assert.InRange(heldCall.GetProperty("budgetSpentInTransitMs").GetDouble(), heldMs, 10_000);
        Assert.InRange(directCall.GetProperty("budgetSpentInTransitMs").GetDouble(), 0, heldMs - 1);
        // grpc-timeout is relative and the server's deadline starts on arrival: the two budgets differ by far less than the hold.
        var budgetsApart = heldCall.GetProperty("clientDeadlineMs").GetDouble() - heldCall.GetProperty("serverDeadlineMs").GetDouble();
        output.WriteLine($"client budget − server arrival budget of the held call: {budgetsApart} ms");
        Assert.InRange(budgetsApart, -100, heldMs - 1);
    }

    /// <summary>The call of the trace once the insights hold both its spans.</summary>
    private static Task<JsonElement> CallWithBothSidesAsync(InsightsHost insights, ActivityTraceId traceId) => Eventually.HoldsAsync(
        async () =>
        {
            using var response = await insights.Http.GetAsync(new Uri($"/api/traces/{traceId.ToHexString()}", UriKind.Relative));
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync<JsonElement>()).Items("calls")
                    .FirstOrDefault(c => c.GetProperty("clientSpanId").ValueKind == JsonValueKind.String && c.GetProperty("serverSpanId").ValueKind == JsonValueKind.String)
                : default;
        },
        call => call.ValueKind == JsonValueKind.Object,
        $"the call of trace {traceId} with its client and server span");

    /// <summary>
    /// One getOrder through the client as Orders.Client builds it (ServiceDefaults, discovery naming orders-api as an
    /// AppHost would, the factory-made client) at <paramref name="address"/>, with <paramref name="deadline"/> when given;
    /// returns its exported gRPC client span. <paramref name="settings"/> are added to the host's configuration.
    /// </summary>
    private async Task<Activity> ClientSpanOfACallAsync(Uri address, TimeSpan? deadline = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var spans = new SpanCollection();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["services:orders-api:http:0"] = Loopback.ToString() });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddServiceDefaults();
        builder.Services.AddOrdersClient(address);
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans));
        using var host = builder.Build();
        await host.StartAsync();
        ActivityTraceId traceId;
        using (var caller = new Activity("test caller").Start())
        {
            traceId = caller.TraceId;
            await host.Services.GetRequiredService<OrderManagementClient>()
                .getOrderAsync(new StringValue { Value = "101" }, deadline: DateTime.UtcNow + deadline);
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
