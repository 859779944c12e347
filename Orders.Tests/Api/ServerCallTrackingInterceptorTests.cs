using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>The server interceptor on all four call types: log lines, span and metrics describe the whole call; secrets never leak.</summary>
public sealed class ServerCallTrackingInterceptorTests : InProcessApiTest
{
    private const string Secret = "SeCrEt-42";
    private readonly string requestId = Guid.NewGuid().ToString();

    private Metadata Headers => new()
    {
        { "x-request-id", requestId },
        { "authorization", $"Bearer {Secret}" },
        { "cookie", $"session={Secret}" },
        { "x-secret-bin", System.Text.Encoding.UTF8.GetBytes(Secret) },
    };

    [Fact]
    public async Task Unary()
    {
        using var durations = DurationCollector();

        await Client.getOrderAsync(new StringValue { Value = "101" }, Headers);

        await AssertCallAsync("getOrder", "unary", StatusCode.OK, received: 1, sent: 1);
        var measurement = Assert.Single(durations.GetMeasurementSnapshot(), m => Equals(m.Tags["rpc.method"], "getOrder"));
        Assert.Equal(0, measurement.Tags["rpc.grpc.status_code"]);
        // The newer names only when OTEL_SEMCONV_STABILITY_OPT_IN asks for them (RpcNamesOptInTests).
        Assert.DoesNotContain(measurement.Tags, tag => tag.Key is "rpc.system.name" or "rpc.response.status_code");
        Assert.Equal("unary", measurement.Tags["rpc.grpc.call_type"]);
        Assert.True(measurement.Value > 0);
    }

    [Fact]
    public async Task Unary_Failure_CarriesItsStatus()
    {
        await Assert.ThrowsAsync<RpcException>(() => Client.getOrderAsync(new StringValue { Value = "404" }, Headers).ResponseAsync);

        var span = await AssertCallAsync("getOrder", "unary", StatusCode.NotFound, received: 1, sent: 0);
        Assert.Equal("Order 404 not found.", CallRecords()[1].GetStructuredStateValue("StatusDetail"));
        Assert.Equal("NOT_FOUND", span.GetTagItem("error.type"));
        // A missing order is the caller's problem, not a server fault.
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task ClientStreaming()
    {
        var factory = Factory.Services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(factory, "Orders.Api", "rpc.server.requests_per_rpc");
        using var responses = new MetricCollector<long>(factory, "Orders.Api", "rpc.server.responses_per_rpc");
        using var call = Client.updateOrders(Headers);
        await call.RequestStream.WriteAsync(new Order { Id = "101", Items = { "A" }, Price = 1 });
        await call.RequestStream.WriteAsync(new Order { Id = "102", Items = { "B" }, Price = 2 });
        await call.RequestStream.CompleteAsync();
        await call;

        await AssertCallAsync("updateOrders", "client_streaming", StatusCode.OK, received: 2, sent: 1);
        // Two messages in, one out: the two message-count histograms are not interchangeable.
        Assert.Equal(2, Assert.Single(requests.GetMeasurementSnapshot(), m => Equals(m.Tags["rpc.method"], "updateOrders")).Value);
        Assert.Equal(1, Assert.Single(responses.GetMeasurementSnapshot(), m => Equals(m.Tags["rpc.method"], "updateOrders")).Value);
    }

    [Fact]
    public async Task ServerStreaming()
    {
        using var call = Client.searchOrders(new StringValue { Value = "" }, Headers);
        Assert.Equal(4, await call.ResponseStream.ReadAllAsync().CountAsync());

        await AssertCallAsync("searchOrders", "server_streaming", StatusCode.OK, received: 1, sent: 4);
    }

    [Fact]
    public async Task DuplexStreaming_TimesTheWholeStream()
    {
        var clock = Stopwatch.StartNew();
        using var call = Client.processOrders(Headers);
        foreach (var id in new[] { "101", "102", "103", "104" })
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = id });
            await Task.Delay(100);
        }

        await call.RequestStream.CompleteAsync();
        Assert.Equal(2, await call.ResponseStream.ReadAllAsync().CountAsync());
        var clientElapsed = clock.Elapsed;

        var span = await AssertCallAsync("processOrders", "duplex_streaming", StatusCode.OK, received: 4, sent: 2);
        // The call lasted as long as the client kept its stream open — not just the handler lookup.
        Assert.InRange(span.Duration, TimeSpan.FromMilliseconds(300), clientElapsed);
        Assert.True(ElapsedMs() >= 300, $"Logged {ElapsedMs()} ms.");
    }

    [Fact]
    public async Task LogRecords_KeepAspNetCoresRequestIdScopeAndTheCallsRequestId()
    {
        await Client.getOrderAsync(new StringValue { Value = "101" }, Headers);

        var ended = CallRecords()[1];
        // The server's TraceIdentifier, from ASP.NET Core's request scope; the call's x-request-id has its own name.
        var scopeRequestId = ended.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>()
            .SelectMany(scope => scope).Single(kv => kv.Key == "RequestId").Value as string;
        Assert.False(string.IsNullOrEmpty(scopeRequestId));
        Assert.NotEqual(requestId, scopeRequestId);
        Assert.Equal(requestId, ended.GetStructuredStateValue("OrdersRequestId"));
        Assert.DoesNotContain(ended.StructuredState!, kv => kv.Key == "RequestId");
    }

    [Fact]
    public async Task OkCall_EndRecordLeavesOutTheEmptyDetailAndTheCancellation()
    {
        await Client.getOrderAsync(new StringValue { Value = "101" }, Headers);

        var ended = CallRecords()[1];
        Assert.Matches(
            $"^gRPC ecommerce.OrderManagement/getOrder \\(unary\\) ended OK after [0-9.]+ ms; no deadline; received 1, sent 1; request id {requestId}$",
            ended.Message);
        Assert.DoesNotContain(ended.StructuredState!, kv => kv.Key is "StatusDetail" or "HandlerCancelled");
    }

    private async Task<Activity> AssertCallAsync(string method, string callType, StatusCode code, int received, int sent)
    {
        var span = await Factory.ServerSpanAsync(requestId);
        Assert.Equal($"ecommerce.OrderManagement/{method}", span.DisplayName);
        Assert.Equal(ActivityKind.Server, span.Kind);
        // One server span per call, the child of the client's call span (the context it propagated).
        Assert.Single(Factory.ExportedSpans, s => s.TraceId == span.TraceId && s.Kind == ActivityKind.Server);
        var client = Assert.Single(Factory.ExportedSpans, s => s.TraceId == span.TraceId && s.Kind == ActivityKind.Client);
        Assert.Equal(client.SpanId, span.ParentSpanId);
        Assert.Equal((null, null), (span.GetTagItem("rpc.system.name"), span.GetTagItem("rpc.response.status_code")));
        Assert.Equal("grpc", span.GetTagItem("rpc.system"));
        Assert.Equal("ecommerce.OrderManagement", span.GetTagItem("rpc.service"));
        Assert.Equal(method, span.GetTagItem("rpc.method"));
        Assert.Equal(callType, span.GetTagItem("rpc.grpc.call_type"));
        Assert.Equal((int)code, span.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(received, span.GetTagItem("rpc.grpc.messages_received"));
        Assert.Equal(sent, span.GetTagItem("rpc.grpc.messages_sent"));
        Assert.Null(span.GetTagItem("rpc.grpc.deadline_ms"));
        Assert.DoesNotContain(span.TagObjects, tag => Convert.ToString(tag.Value, CultureInfo.InvariantCulture)!.Contains(Secret, StringComparison.Ordinal));

        var records = CallRecords();
        Assert.Equal(2, records.Count);
        var (started, ended) = (records[0], records[1]);
        Assert.Equal($"ecommerce.OrderManagement/{method}", started.GetStructuredStateValue("RpcMethod"));
        Assert.Equal(callType, started.GetStructuredStateValue("CallType"));
        Assert.False(string.IsNullOrEmpty(started.GetStructuredStateValue("Peer")));
        var metadata = started.GetStructuredStateValue("Metadata");
        Assert.Contains($"authorization=[redacted {$"Bearer {Secret}".Length} chars]", metadata, StringComparison.Ordinal);
        Assert.Contains($"cookie=[redacted {$"session={Secret}".Length} chars]", metadata, StringComparison.Ordinal);
        Assert.Contains($"x-secret-bin=[redacted {Secret.Length} bytes]", metadata, StringComparison.Ordinal);
        Assert.Equal(code == StatusCode.OK ? "OK" : "NOT_FOUND", ended.GetStructuredStateValue("StatusCode"));
        // A call the client got wrong is a warning; only server faults are errors.
        Assert.Equal(code == StatusCode.OK ? LogLevel.Debug : LogLevel.Warning, ended.Level);
        Assert.Equal(received.ToString(CultureInfo.InvariantCulture), ended.GetStructuredStateValue("MessagesReceived"));
        Assert.Equal(sent.ToString(CultureInfo.InvariantCulture), ended.GetStructuredStateValue("MessagesSent"));
        Assert.True(ElapsedMs() > 0);

        var everything = Factory.Services.GetFakeLogCollector().GetSnapshot();
        Assert.DoesNotContain(everything, r => r.Message.Contains(Secret, StringComparison.Ordinal)
            || r.StructuredState?.Any(kv => kv.Value?.Contains(Secret, StringComparison.Ordinal) == true) == true);
        return span;
    }

    private List<FakeLogRecord> CallRecords() => Factory.Services.GetFakeLogCollector().GetSnapshot()
        .Where(r => r.Category == "Orders.Api.Interceptors.ServerCallTrackingInterceptor" && r.GetStructuredStateValue("OrdersRequestId") == requestId)
        .ToList();

    private double ElapsedMs() => double.Parse(CallRecords()[1].GetStructuredStateValue("ElapsedMs")!, CultureInfo.InvariantCulture);

    private MetricCollector<double> DurationCollector() =>
        new(Factory.Services.GetRequiredService<IMeterFactory>(), "Orders.Api", "rpc.server.call.duration");
}
