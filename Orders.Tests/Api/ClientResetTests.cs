using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// A client that cancels a stream mid-call resets it; Kestrel fails the handler's read at once and cancels the call's
/// token a moment later. Whichever comes first, the server must record CANCELLED on its span, metric and log.
/// </summary>
public sealed class ClientResetTests : IAsyncLifetime
{
    private const int CallsPerMethod = 100;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private OrdersApiFactory Factory { get; set; } = null!;

    private GrpcChannel Channel { get; set; } = null!;

    private OrderManagement.OrderManagementClient Client { get; set; } = null!;

    public Task InitializeAsync()
    {
        // Real Kestrel on loopback: the in-memory TestServer has no HTTP/2 stream reset to race with.
        Factory = new OrdersApiFactory();
        Factory.UseKestrel(FreePort.Next());
        Factory.StartServer();
        Channel = GrpcChannel.ForAddress(Factory.ClientOptions.BaseAddress);
        Client = new OrderManagement.OrderManagementClient(Channel);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Factory.DisposeAsync();
    }

    [Fact]
    public async Task EveryClientCancelledStream_IsCancelledOnSpanMetricAndLog()
    {
        using var durations = new MetricCollector<double>(
            Factory.Services.GetRequiredService<IMeterFactory>(), "Orders.Api", "rpc.server.call.duration");
        var clock = Stopwatch.StartNew();
        var requestIds = new List<string>();
        for (var i = 0; i < CallsPerMethod && clock.Elapsed < Budget; i++)
        {
            requestIds.Add(await CancelProcessOrdersMidStreamAsync());
            requestIds.Add(await CancelUpdateOrdersMidStreamAsync());
        }

        Assert.True(requestIds.Count >= 40, $"Only {requestIds.Count} calls in {Budget}.");
        foreach (var requestId in requestIds)
        {
            var span = await Factory.ServerSpanAsync(requestId);
            Assert.Equal(("CANCELLED", true), (span.GetTagItem("rpc.response.status_code"), span.GetTagItem("rpc.grpc.handler_cancelled")));
            Assert.DoesNotContain(span.Events, e => e.Name == "exception");

            var ended = EndRecord(requestId);
            Assert.Equal(("CANCELLED", LogLevel.Warning, null), (ended.GetStructuredStateValue("StatusCode"), ended.Level, ended.Exception));
        }

        var statuses = durations.GetMeasurementSnapshot()
            .Where(m => m.Tags["rpc.method"] is "processOrders" or "updateOrders")
            .Select(m => (string)m.Tags["rpc.response.status_code"]!)
            .ToList();
        Assert.Equal(requestIds.Count, statuses.Count);
        Assert.All(statuses, status => Assert.Equal("CANCELLED", status));
        Assert.DoesNotContain(Factory.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    private async Task<string> CancelProcessOrdersMidStreamAsync()
    {
        var requestId = Guid.NewGuid().ToString("N");
        using var cancellation = new CancellationTokenSource();
        using var call = Client.processOrders(new Metadata { { "x-request-id", requestId } }, cancellationToken: cancellation.Token);
        await call.RequestStream.WriteAsync(new StringValue { Value = "no-such-order" });
        // The in-band NOT_FOUND answer proves the handler is inside the stream, waiting for the next id.
        using var readTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.True(await call.ResponseStream.MoveNext(readTimeout.Token));
        await cancellation.CancelAsync();
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(readTimeout.Token));
        return requestId;
    }

    private async Task<string> CancelUpdateOrdersMidStreamAsync()
    {
        var requestId = Guid.NewGuid().ToString("N");
        using var cancellation = new CancellationTokenSource();
        using var call = Client.updateOrders(new Metadata { { "x-request-id", requestId } }, cancellationToken: cancellation.Token);
        await call.RequestStream.WriteAsync(new Order { Id = "reset-1", Items = { "Item - R" }, Price = 1 });
        // The start line proves the handler is running; the next order finds it reading.
        Assert.True(await Eventually.WithinAsync(() => StartRecordExists(requestId), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(2)), "The server never started the call.");
        await call.RequestStream.WriteAsync(new Order { Id = "reset-2", Items = { "Item - R" }, Price = 1 });
        await cancellation.CancelAsync();
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        return requestId;
    }

    private IEnumerable<FakeLogRecord> CallRecords(string requestId) => Factory.Services.GetFakeLogCollector().GetSnapshot()
        .Where(r => r.Category == "Orders.Api.Interceptors.ServerCallTelemetryInterceptor" && r.GetStructuredStateValue("OrdersRequestId") == requestId);

    private bool StartRecordExists(string requestId) => CallRecords(requestId).Any(r => r.Id.Name == "GrpcCallStarted");

    private FakeLogRecord EndRecord(string requestId) => Assert.Single(CallRecords(requestId), ServerCallRecords.IsCallEnd);
}
