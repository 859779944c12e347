using System.Diagnostics;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api;

/// <summary>
/// The spans of one call over real Kestrel (docs/telemetry.md, "Spans of one call"): the gRPC client span with the
/// attributes the Aspire dashboard reads, no HttpClient span under it, then the ASP.NET Core HTTP span and the
/// Orders.Api gRPC server span, linked parent to child in one trace.
/// </summary>
[Collection(ProcessWideTelemetryDefinition.Name)]
public sealed class CallSpansTests : IAsyncLifetime
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
    public async Task OneCall_IsOneClientSpan_OverOneHttpServerSpan_OverOneGrpcServerSpan(
        string id, int serverDelayMs, int deadlineMs, StatusCode code, string codeName)
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

        var spans = await SpansOfTraceAsync(caller.TraceId, count: 3);
        var client = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        var http = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore");
        var grpc = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.Source.Name == "Orders.Api");
        Assert.Equal((caller.SpanId, client.SpanId, http.SpanId), (client.ParentSpanId, http.ParentSpanId, grpc.ParentSpanId));

        Assert.Equal("OpenTelemetry.Instrumentation.GrpcNetClient", client.Source.Name);
        Assert.Equal("ecommerce.OrderManagement/getOrder", client.DisplayName);
        AssertRpcAttributes(client, code, codeName);
        Assert.Equal(code == StatusCode.OK ? ActivityStatusCode.Unset : ActivityStatusCode.Error, client.Status);

        Assert.Equal("POST /ecommerce.OrderManagement/getOrder", http.DisplayName);
        // The HTTP span of a gRPC call is a 200 whatever happened; it carries the call's status instead.
        Assert.Equal((int)code, http.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(codeName, http.GetTagItem("rpc.response.status_code"));
        Assert.Equal(ServerSpanStatus(code), http.Status);

        Assert.Equal("ecommerce.OrderManagement/getOrder", grpc.DisplayName);
        AssertRpcAttributes(grpc, code, codeName);
        Assert.Equal("unary", grpc.GetTagItem("rpc.grpc.call_type"));
        Assert.Equal(requestId, grpc.GetTagItem("orders.request_id"));
        Assert.Equal((1, code == StatusCode.OK ? 1 : 0), (grpc.GetTagItem("rpc.grpc.messages_received"), grpc.GetTagItem("rpc.grpc.messages_sent")));
        // NOT_FOUND is the caller's problem: an error on the client span, not on the server's; DEADLINE_EXCEEDED is both.
        Assert.Equal(ServerSpanStatus(code), grpc.Status);
    }

    private static ActivityStatusCode ServerSpanStatus(StatusCode code) =>
        code == StatusCode.DeadlineExceeded ? ActivityStatusCode.Error : ActivityStatusCode.Unset;

    /// <summary>The experimental set the Aspire dashboard reads ("RPC ecommerce.OrderManagement/getOrder NotFound") and the newer names beside it.</summary>
    private static void AssertRpcAttributes(Activity span, StatusCode code, string codeName)
    {
        Assert.Equal("grpc", span.GetTagItem("rpc.system"));
        Assert.Equal("grpc", span.GetTagItem("rpc.system.name"));
        Assert.Equal("ecommerce.OrderManagement", span.GetTagItem("rpc.service"));
        Assert.Equal("getOrder", span.GetTagItem("rpc.method"));
        Assert.Equal((int)code, span.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(codeName, span.GetTagItem("rpc.response.status_code"));
        Assert.Equal(code == StatusCode.OK ? null : codeName, span.GetTagItem("error.type"));
    }

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
