using System.Diagnostics.Metrics;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orders.Client.Interceptors;
using Orders.Tests.Api;
using OrdersAspire.Shared;
using static Ecommerce.OrderManagement;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Client;

/// <summary>The client interceptor in the real client pipeline (factory-made client) against Orders.Api in memory.</summary>
public sealed class ClientCallInterceptorTests : IDisposable
{
    private static readonly TimeSpan ConfiguredDefaultDeadline = TimeSpan.FromSeconds(7);

    private readonly OrdersApiFactory api = new();
    private readonly ServiceProvider client;

    public ClientCallInterceptorTests() =>
        client = InProcessOrdersClient.Create(api, new Dictionary<string, string?> { ["Orders:Client:DefaultDeadline"] = "7s" });

    public void Dispose()
    {
        client.Dispose();
        api.Dispose();
    }

    private OrderManagementClient Orders => client.GetRequiredService<OrderManagementClient>();

    /// <summary>Asserts the one outcome line the interceptor wrote and returns it for further checks.</summary>
    private FakeLogRecord SingleCallLog(LogLevel level, string callType, string statusCode)
    {
        var log = Assert.Single(CallLogs);
        Assert.Equal(level, log.Level);
        Assert.Equal(callType, log.GetStructuredStateValue("CallType"));
        Assert.Equal(statusCode, log.GetStructuredStateValue("StatusCode"));
        return log;
    }

    private IReadOnlyList<FakeLogRecord> CallLogs => client.GetFakeLogCollector().GetSnapshot()
        .Where(r => r.Category == typeof(ClientCallInterceptor).FullName)
        .ToList();

    [Fact]
    public async Task DefaultDeadlineAndRequestIdReachTheServerAndTheOutcomeIsLogged()
    {
        using var durations = new MetricCollector<double>(client.GetRequiredService<IMeterFactory>(), ClientCallMetrics.MeterName, "rpc.client.call.duration");
        using var requests = new MetricCollector<long>(client.GetRequiredService<IMeterFactory>(), ClientCallMetrics.MeterName, "rpc.client.requests_per_rpc");

        var order = await Orders.getOrderAsync(new StringValue { Value = "102" });

        Assert.Equal("102", order.Id);
        var log = SingleCallLog(LogLevel.Information, "unary", "OK");
        Assert.Equal("ecommerce.OrderManagement/getOrder", log.GetStructuredStateValue("RpcMethod"));
        // A unary call sends its one request message as it starts.
        Assert.Equal(("1", "1"), (log.GetStructuredStateValue("MessagesSent"), log.GetStructuredStateValue("MessagesReceived")));
        Assert.True(double.Parse(log.GetStructuredStateValue("ElapsedMs")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        var requestId = log.GetStructuredStateValue("OrdersRequestId");
        Assert.Matches("^[0-9a-f]{32}$", requestId);

        // The server saw the same request id, and a deadline budget of (just under) the configured default.
        var serverSpan = await api.ServerSpanAsync(requestId!);
        var serverBudget = Convert.ToDouble(serverSpan.GetTagItem("rpc.grpc.deadline_ms"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(serverBudget, ConfiguredDefaultDeadline.TotalMilliseconds - 2_000, ConfiguredDefaultDeadline.TotalMilliseconds);
        var deadlineLogged = double.Parse(log.GetStructuredStateValue("DeadlineRemainingMs")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(deadlineLogged, ConfiguredDefaultDeadline.TotalMilliseconds - 1_000, ConfiguredDefaultDeadline.TotalMilliseconds);

        var measurement = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal("getOrder", measurement.Tags["rpc.method"]);
        Assert.Equal("ecommerce.OrderManagement", measurement.Tags["rpc.service"]);
        Assert.Equal("OK", measurement.Tags.RpcStatusName());
        Assert.Equal(0, measurement.Tags["rpc.grpc.status_code"]);
        Assert.Equal("unary", measurement.Tags["rpc.grpc.call_type"]);
        // A unary call's message counts are in its log line and span, not in the streams-only message histograms.
        Assert.Empty(requests.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task CallersDeadlineAndRequestIdAreKept()
    {
        var headers = new Metadata { { OrdersHeaders.RequestId, "caller-chosen-id" } };

        await Orders.getOrderAsync(new StringValue { Value = "102" }, headers, DateTime.UtcNow.AddSeconds(3));
        await Orders.getOrderAsync(new StringValue { Value = "103" }, headers);

        var serverSpan = await api.ServerSpanAsync("caller-chosen-id");
        var serverBudget = Convert.ToDouble(serverSpan.GetTagItem("rpc.grpc.deadline_ms"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(serverBudget, 1_000, 3_000);
        Assert.Equal(["caller-chosen-id", "caller-chosen-id"], CallLogs.Select(log => log.GetStructuredStateValue("OrdersRequestId")));
        // The caller's Metadata instance is not mutated, so a reused instance never carries a stale generated id.
        Assert.Single(headers);
    }

    [Fact]
    public async Task ServerStreamIsLoggedWhenItEndsWithItsMessageCount()
    {
        using var call = Orders.searchOrders(new StringValue { Value = "Item - A" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Empty(CallLogs);

        var received = 1;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            received++;
        }

        var log = SingleCallLog(LogLevel.Information, "server_streaming", "OK");
        Assert.Equal(received.ToString(System.Globalization.CultureInfo.InvariantCulture), log.GetStructuredStateValue("MessagesReceived"));
    }

    [Fact]
    public async Task ClientStreamCountsSentMessages()
    {
        using var call = Orders.updateOrders();
        foreach (var id in new[] { "interceptor-1", "interceptor-2", "interceptor-3" })
        {
            await call.RequestStream.WriteAsync(new Order { Id = id, Items = { "Item - X" }, Price = 1 });
        }

        await call.RequestStream.CompleteAsync();
        Assert.Equal("Updated IDs: interceptor-1 interceptor-2 interceptor-3", (await call.ResponseAsync).Value);

        var log = SingleCallLog(LogLevel.Information, "client_streaming", "OK");
        Assert.Equal("3", log.GetStructuredStateValue("MessagesSent"));
        Assert.Equal("1", log.GetStructuredStateValue("MessagesReceived"));
    }

    [Fact]
    public async Task CancelledDuplexCallIsLoggedAsCancelledWarning()
    {
        using var cancellation = new CancellationTokenSource();
        using var call = Orders.processOrders(cancellationToken: cancellation.Token);
        await call.RequestStream.WriteAsync(new StringValue { Value = "no-such-order" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        var log = SingleCallLog(LogLevel.Warning, "duplex_streaming", "CANCELLED");
        Assert.Equal("1", log.GetStructuredStateValue("MessagesSent"));
        Assert.Equal("1", log.GetStructuredStateValue("MessagesReceived"));
    }

    [Fact]
    public async Task FailedUnaryCallIsLoggedWithItsStatus()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Orders.getOrderAsync(new StringValue { Value = "no-such-order" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var log = SingleCallLog(LogLevel.Warning, "unary", "NOT_FOUND");
        Assert.Contains("no-such-order", log.GetStructuredStateValue("StatusDetail"), StringComparison.Ordinal);
        // The request went out even though no answer came back.
        Assert.Equal(("1", "0"), (log.GetStructuredStateValue("MessagesSent"), log.GetStructuredStateValue("MessagesReceived")));
    }

    [Fact]
    public async Task TheStatusDetailIsLoggedEscaped()
    {
        // The server's message already escapes the id (a\u001B[2J); the client's line escapes what it got once more.
        await Assert.ThrowsAsync<RpcException>(async () => await Orders.getOrderAsync(new StringValue { Value = "a\u001B[2J" }));

        var log = SingleCallLog(LogLevel.Warning, "unary", "NOT_FOUND");
        Assert.Equal(@"Order a\\u001B[2J not found.", log.GetStructuredStateValue("StatusDetail"));
    }

    [Fact]
    public void BlockingUnaryCall_IsTrackedLikeAnAsyncOne()
    {
        Assert.Equal("102", Orders.getOrder(new StringValue { Value = "102" }).Id);

        var log = SingleCallLog(LogLevel.Information, "unary", "OK");
        Assert.Equal(("1", "1"), (log.GetStructuredStateValue("MessagesSent"), log.GetStructuredStateValue("MessagesReceived")));
        Assert.Matches("^[0-9a-f]{32}$", log.GetStructuredStateValue("OrdersRequestId"));
    }

    [Fact]
    public void FailedBlockingUnaryCall_IsLoggedWithItsStatus()
    {
        var error = Assert.Throws<RpcException>(() => Orders.getOrder(new StringValue { Value = "no-such-order" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var log = SingleCallLog(LogLevel.Warning, "unary", "NOT_FOUND");
        Assert.Equal(("1", "0"), (log.GetStructuredStateValue("MessagesSent"), log.GetStructuredStateValue("MessagesReceived")));
    }

    [Fact]
    public async Task AStreamDisposedBeforeItEnds_EndsThere_LoggedAsCancelled()
    {
        var call = Orders.searchOrders(new StringValue { Value = "Item - A" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        call.Dispose();

        // The call itself is gone: the rest of the stream is never read.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        var log = SingleCallLog(LogLevel.Warning, "server_streaming", "CANCELLED");
        Assert.Equal("Call disposed before it completed.", log.GetStructuredStateValue("StatusDetail"));
        Assert.Equal("1", log.GetStructuredStateValue("MessagesReceived"));
    }

    [Fact]
    public async Task AStreamReadToItsEnd_IsLoggedOnce_ItsDisposalAddsNothing()
    {
        var call = Orders.searchOrders(new StringValue { Value = "Item - A" });
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }

        call.Dispose();

        // Its one request message counts as sent.
        Assert.Equal("1", SingleCallLog(LogLevel.Information, "server_streaming", "OK").GetStructuredStateValue("MessagesSent"));
    }

    [Fact]
    public async Task TheLineNamesTheMetadataSent_NotItsValues()
    {
        await Orders.getOrderAsync(new StringValue { Value = "102" }, new Metadata { { "x-note", "private-value" }, { "x-tenant", "acme" } });

        var log = SingleCallLog(LogLevel.Information, "unary", "OK");
        Assert.Equal("x-note, x-tenant, x-request-id", log.GetStructuredStateValue("Metadata"));
        Assert.DoesNotContain("private-value", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientStreamCountsMessagesWrittenWithACancellationTokenToo()
    {
        using var call = Orders.updateOrders();
        await call.RequestStream.WriteAsync(new Order { Id = "interceptor-token", Items = { "Item - X" }, Price = 1 }, CancellationToken.None);
        await call.RequestStream.CompleteAsync();

        // Sent, not only counted.
        Assert.Equal("Updated IDs: interceptor-token", (await call.ResponseAsync).Value);
        Assert.Equal("1", SingleCallLog(LogLevel.Information, "client_streaming", "OK").GetStructuredStateValue("MessagesSent"));
    }
}
