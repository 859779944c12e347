using System.Diagnostics;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;
using OrdersAspire.TestHarness;
using Xunit.Abstractions;

namespace Orders.Tests.Api;

/// <summary>
/// The spans of one call over real Kestrel (docs/telemetry.md, "Spans of one call"): the gRPC client span with the
/// attributes the Aspire dashboard reads, no HttpClient span under it, then one server span, ASP.NET Core's request
/// span made the call's (named and tagged as the RPC, whatever the ASP.NET Core instrumentation names it when it
/// ends), linked parent to child in one trace.
/// </summary>
[Collection(ProcessWideTelemetryDefinition.Name)]
public sealed class CallSpansTests(ITestOutputHelper output) : IAsyncLifetime
{
    private OrdersApiFactory Factory { get; set; } = null!;

    private GrpcChannel Channel { get; set; } = null!;

    public Task InitializeAsync()
    {
        // A socket client, so an HttpClient span would exist if it were not suppressed.
        Factory = new OrdersApiFactory();
        Factory.UseKestrel(FreePort.Next());
        Factory.StartServer();
        Channel = GrpcChannel.ForAddress(Factory.ClientOptions.BaseAddress, new GrpcChannelOptions { HttpHandler = new ServerFirstDeadline() });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Factory.DisposeAsync();
    }

    [Theory]
    [InlineData("101", 0, 30_000, StatusCode.OK, "OK")]
    [InlineData("404", 0, 30_000, StatusCode.NotFound, "NOT_FOUND")]
    [InlineData("101", 30_000, 500, StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    public async Task OneCall_IsOneClientSpan_OverOneServerSpan(string id, int serverDelayMs, int deadlineMs, StatusCode code, string codeName)
    {
        var requestId = Guid.NewGuid().ToString("N");
        using var caller = new Activity("test caller").Start();
        var call = new OrderManagement.OrderManagementClient(Channel).getOrderAsync(
            new StringValue { Value = id },
            new Metadata { { "x-request-id", requestId }, { "x-orders-delay-ms", serverDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            deadline: DateTime.UtcNow.AddMilliseconds(deadlineMs));
        var status = await Record.ExceptionAsync(() => call.ResponseAsync) is RpcException error ? error.StatusCode : StatusCode.OK;
        caller.Stop();
        Assert.Equal(code, status);

        var (client, server) = await ClientAndServerSpansAsync(caller);

        Assert.Equal("OpenTelemetry.Instrumentation.GrpcNetClient", client.Source.Name);
        Assert.Equal("ecommerce.OrderManagement/getOrder", client.DisplayName);
        AssertRpcAttributes(client, "getOrder", code, codeName);
        AssertNewerNamesOfTheClientInstrumentation(client, code);
        Assert.Equal(code == StatusCode.OK ? ActivityStatusCode.Unset : ActivityStatusCode.Error, client.Status);

        AssertRpcAttributes(server, "getOrder", code, codeName);
        AssertOlderNamesOnly(server);
        Assert.Equal("unary", server.GetTagItem("rpc.grpc.call_type"));
        Assert.Equal(requestId, server.GetTagItem("orders.request_id"));
        Assert.Equal((1, code == StatusCode.OK ? 1 : 0), (server.GetTagItem("rpc.grpc.messages_received"), server.GetTagItem("rpc.grpc.messages_sent")));
        // NOT_FOUND is the caller's problem: an error on the client span, not on the server's; DEADLINE_EXCEEDED is both.
        Assert.Equal(ServerSpanStatus(code), server.Status);
        Assert.Equal(code is StatusCode.DeadlineExceeded, server.Events.Any(e => e.Name == "rpc.cancelled"));
        // The HTTP attributes of the request stay beside the RPC ones: a gRPC call is an HTTP 200 whatever its status.
        Assert.Equal(("/ecommerce.OrderManagement/getOrder", 200), (server.GetTagItem("url.path"), server.GetTagItem("http.response.status_code")));
        AssertNoGrpcAspNetCoreRepeats(server);
    }

    [Theory]
    [InlineData("searchOrders", "server_streaming", 1, 4)]
    [InlineData("updateOrders", "client_streaming", 2, 1)]
    [InlineData("processOrders", "duplex_streaming", 4, 2)]
    public async Task EveryStreamingCall_IsOneClientSpan_OverOneServerSpan(string method, string callType, int received, int sent)
    {
        var client = new OrderManagement.OrderManagementClient(Channel);
        using var caller = new Activity("test caller").Start();
        switch (method)
        {
            case "searchOrders":
                using (var search = client.searchOrders(new StringValue { Value = "" }))
                {
                    Assert.Equal(sent, await search.ResponseStream.ReadAllAsync().CountAsync());
                }

                break;
            case "updateOrders":
                using (var update = client.updateOrders())
                {
                    await update.RequestStream.WriteAsync(new Order { Id = "101", Items = { "A" }, Price = 1 });
                    await update.RequestStream.WriteAsync(new Order { Id = "102", Items = { "B" }, Price = 2 });
                    await update.RequestStream.CompleteAsync();
                    await update;
                }

                break;
            default:
                using (var process = client.processOrders())
                {
                    foreach (var id in new[] { "101", "102", "103", "104" })
                    {
                        await process.RequestStream.WriteAsync(new StringValue { Value = id });
                    }

                    await process.RequestStream.CompleteAsync();
                    Assert.Equal(sent, await process.ResponseStream.ReadAllAsync().CountAsync());
                }

                break;
        }

        caller.Stop();

        var (clientSpan, server) = await ClientAndServerSpansAsync(caller);
        AssertRpcAttributes(clientSpan, method, StatusCode.OK, "OK");
        AssertNewerNamesOfTheClientInstrumentation(clientSpan, StatusCode.OK);
        AssertRpcAttributes(server, method, StatusCode.OK, "OK");
        AssertOlderNamesOnly(server);
        Assert.Equal(callType, server.GetTagItem("rpc.grpc.call_type"));
        Assert.Equal((received, sent), (server.GetTagItem("rpc.grpc.messages_received"), server.GetTagItem("rpc.grpc.messages_sent")));
        Assert.Equal(ActivityStatusCode.Unset, server.Status);
        AssertNoGrpcAspNetCoreRepeats(server);
    }

    [Fact]
    public async Task ARequestThatReachesNoHandler_KeepsItsHttpSpan()
    {
        // An unknown method: grpc-dotnet answers UNIMPLEMENTED itself, and no interceptor sees the call.
        using var http = new HttpClient { BaseAddress = Factory.ClientOptions.BaseAddress };
        using var caller = new Activity("test caller").Start();
        var reply = await RawGrpcCall.SendAsync(
            http, new Uri("/ecommerce.OrderManagement/noSuchMethod", UriKind.Relative), RawGrpcFrames.Prefix(0, 0), []);
        caller.Stop();
        Assert.Equal(StatusCode.Unimplemented, reply.Status);

        // The trace also holds the HttpClient's span of the request.
        var spans = await SpansOfTraceAsync(caller.TraceId, count: 2);
        var span = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        output.WriteLine($"{span.DisplayName}: {string.Join(", ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))}; status {span.Status}");
        Assert.Equal("Microsoft.AspNetCore", span.Source.Name);
        Assert.StartsWith("POST ", span.DisplayName, StringComparison.Ordinal);
        Assert.Null(span.GetTagItem("rpc.system"));
        Assert.Equal("/ecommerce.OrderManagement/noSuchMethod", span.GetTagItem("url.path"));
    }

    /// <summary>
    /// The trace under <paramref name="caller"/> is one client span, its child, and one server span, the client span's
    /// child (its propagated context), named as the RPC.
    /// </summary>
    private async Task<(Activity Client, Activity Server)> ClientAndServerSpansAsync(Activity caller)
    {
        var spans = await SpansOfTraceAsync(caller.TraceId, count: 2);
        Assert.Equal(2, spans.Count);
        var client = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal((caller.SpanId, client.SpanId), (client.ParentSpanId, server.ParentSpanId));
        Assert.Equal("Microsoft.AspNetCore", server.Source.Name);
        Assert.Equal(client.DisplayName, server.DisplayName);
        return (client, server);
    }

    private static ActivityStatusCode ServerSpanStatus(StatusCode code) =>
        code == StatusCode.DeadlineExceeded ? ActivityStatusCode.Error : ActivityStatusCode.Unset;

    /// <summary>Grpc.AspNetCore tags the request span with the method and status too; the finished span carries them once, as rpc.*.</summary>
    private static void AssertNoGrpcAspNetCoreRepeats(Activity server) =>
        Assert.Equal((null, null), (server.GetTagItem("grpc.method"), server.GetTagItem("grpc.status_code")));

    /// <summary>The experimental set the Aspire dashboard reads ("RPC ecommerce.OrderManagement/getOrder NotFound") and error.type.</summary>
    private static void AssertRpcAttributes(Activity span, string method, StatusCode code, string codeName)
    {
        Assert.Equal("grpc", span.GetTagItem("rpc.system"));
        Assert.Equal("ecommerce.OrderManagement", span.GetTagItem("rpc.service"));
        Assert.Equal(method, span.GetTagItem("rpc.method"));
        Assert.Equal((int)code, span.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(code == StatusCode.OK ? null : codeName, span.GetTagItem("error.type"));
    }

    /// <summary>The server span carries the newer names only when OTEL_SEMCONV_STABILITY_OPT_IN asks for them (RpcNamesOptInTests).</summary>
    private static void AssertOlderNamesOnly(Activity server) =>
        Assert.Equal((null, null), (server.GetTagItem("rpc.system.name"), server.GetTagItem("rpc.response.status_code")));

    /// <summary>The client span keeps the newer names Grpc.Net.Client's instrumentation writes, beside the older set added to it.</summary>
    private static void AssertNewerNamesOfTheClientInstrumentation(Activity client, StatusCode code) =>
        Assert.Equal(("grpc", GrpcStatusNames.Of((int)code)), (client.GetTagItem("rpc.system.name"), client.GetTagItem("rpc.response.status_code")));

    /// <summary>The spans of a trace, once exactly <paramref name="count"/> have ended (bounded), checked to stay that many.</summary>
    private async Task<List<Activity>> SpansOfTraceAsync(ActivityTraceId traceId, int count)
    {
        var clock = Stopwatch.StartNew();
        while (Factory.ExportedSpans.Count(s => s.TraceId == traceId) < count && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        // Any late span (an HttpClient child, say) would have ended with its parent; give it a moment to show up.
        await Task.Delay(200);
        return [.. Factory.ExportedSpans.Where(s => s.TraceId == traceId)];
    }
}
