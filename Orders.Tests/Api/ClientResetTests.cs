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
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api;

/// <summary>
/// A client that cancels a call resets its stream; Kestrel fails the call's pending read or write at once and cancels the
/// call's token a moment later. Whatever the moment of the reset and whichever comes first, the server records the
/// call once, CANCELLED, on its span, metric and log, with no stack trace.
/// </summary>
public sealed class ClientResetTests : IAsyncLifetime
{
    private const int CallsPerMethod = 100;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private OrdersApiFactory Factory { get; set; } = null!;

    private GrpcChannel Channel { get; set; } = null!;

    private OrderManagement.OrderManagementClient Client { get; set; } = null!;

    private HttpClient Http { get; set; } = null!;

    private MetricCollector<double> Durations { get; set; } = null!;

    public Task InitializeAsync()
    {
        // Real Kestrel on loopback: the in-memory TestServer has no HTTP/2 stream reset to race with.
        Factory = new OrdersApiFactory();
        Factory.UseKestrel(FreePort.Next());
        Factory.StartServer();
        Channel = GrpcChannel.ForAddress(Factory.ClientOptions.BaseAddress);
        Client = new OrderManagement.OrderManagementClient(Channel);
        Http = new HttpClient { BaseAddress = Factory.ClientOptions.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Durations = new MetricCollector<double>(Factory.Services.GetRequiredService<IMeterFactory>(), "Orders.Api", "rpc.server.call.duration");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Durations.Dispose();
        Http.Dispose();
        Channel.Dispose();
        await Factory.DisposeAsync();
    }

    [Fact]
    public async Task EveryClientCancelledStream_IsCancelledOnSpanMetricAndLog()
    {
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
            Assert.Equal(("CANCELLED", true), (span.RpcStatusName(), span.GetTagItem("rpc.grpc.handler_cancelled")));
            Assert.DoesNotContain(span.Events, e => e.Name == "exception");

            var ended = EndRecord(requestId);
            Assert.Equal(("CANCELLED", LogLevel.Warning, null), (ended.GetStructuredStateValue("StatusCode"), ended.Level, ended.Exception));
        }

        var statuses = Durations.GetMeasurementSnapshot()
            .Where(m => m.Tags["rpc.method"] is "processOrders" or "updateOrders")
            .Select(m => (string)m.Tags.RpcStatusName()!)
            .ToList();
        Assert.Equal(requestIds.Count, statuses.Count);
        Assert.All(statuses, status => Assert.Equal("CANCELLED", status));
        Assert.DoesNotContain(Factory.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    /// <summary>
    /// A reset lands before the request has ended (HEADERS and part of a message, then RST_STREAM: no client sends
    /// this but a cancelled upload does), while the handler runs (held by the injected delay), or while the response
    /// stream is open: every one is one end line, one server span and one metric point, all CANCELLED, and no stack trace.
    /// </summary>
    [Theory]
    [InlineData("getOrder", ResetMoment.BeforeRequestEnd)]
    [InlineData("getOrder", ResetMoment.InHandler)]
    [InlineData("searchOrders", ResetMoment.BeforeRequestEnd)]
    [InlineData("searchOrders", ResetMoment.InHandler)]
    [InlineData("searchOrders", ResetMoment.MidResponseStream)]
    [InlineData("updateOrders", ResetMoment.BeforeRequestEnd)]
    [InlineData("updateOrders", ResetMoment.InHandler)]
    [InlineData("processOrders", ResetMoment.BeforeRequestEnd)]
    [InlineData("processOrders", ResetMoment.InHandler)]
    [InlineData("processOrders", ResetMoment.MidResponseStream)]
    public async Task AResetAtAnyMoment_IsObservedOnceAsCancelled(string method, ResetMoment moment)
    {
        IReadOnlyList<string> requestIds = moment switch
        {
            ResetMoment.BeforeRequestEnd => await ResetBeforeRequestEndAsync(method),
            ResetMoment.InHandler => [await CancelWhileDelayedAsync(method)],
            _ when method == "searchOrders" => [await CancelSearchMidResponseAsync()],
            _ => [await CancelProcessOrdersMidStreamAsync()],
        };

        foreach (var requestId in requestIds)
        {
            var span = await Factory.ServerSpanAsync(requestId);
            Assert.Equal("CANCELLED", span.RpcStatusName());
            Assert.DoesNotContain(span.Events, e => e.Name == "exception");
            Assert.Single(Factory.ExportedSpans, s => OrdersApiFactory.IsServerSpanOf(s, requestId));
            var ended = EndRecord(requestId);
            Assert.Equal(("CANCELLED", LogLevel.Warning, null), (ended.GetStructuredStateValue("StatusCode"), ended.Level, ended.Exception));
        }

        var statuses = Durations.GetMeasurementSnapshot().Where(m => Equals(m.Tags["rpc.method"], method)).Select(m => m.Tags.RpcStatusName() as string);
        Assert.Equal(requestIds.Select(_ => "CANCELLED"), statuses);
        AssertNoErrorOrStackTrace();
    }

    /// <summary>
    /// The call's own deadline passes while the server waits for the rest of a request message: grpc-dotnet answers
    /// DEADLINE_EXCEEDED and resets the stream (which may reach the raw client before the answer does), and the call is
    /// observed once with that status, not unobserved.
    /// </summary>
    [Theory]
    [InlineData("getOrder")]
    [InlineData("searchOrders")]
    [InlineData("updateOrders")]
    [InlineData("processOrders")]
    public async Task ADeadlineThatPassesBeforeTheRequestEnds_IsObservedOnceAsDeadlineExceeded(string method)
    {
        var requestId = Guid.NewGuid().ToString("N");

        var answer = await RawGrpcCall.SendPartThenResetAsync(
            Http, Method(method), UnfinishedMessage, [new("x-request-id", requestId), new("grpc-timeout", "300m")], resetAfter: TimeSpan.FromSeconds(10));

        Assert.Contains(answer, new StatusCode?[] { StatusCode.DeadlineExceeded, null });
        var span = await Factory.ServerSpanAsync(requestId);
        Assert.Equal("DEADLINE_EXCEEDED", span.RpcStatusName());
        Assert.Single(Factory.ExportedSpans, s => OrdersApiFactory.IsServerSpanOf(s, requestId));
        Assert.Equal("DEADLINE_EXCEEDED", EndRecord(requestId).GetStructuredStateValue("StatusCode"));
        var measured = Assert.Single(Durations.GetMeasurementSnapshot(), m => Equals(m.Tags["rpc.method"], method));
        Assert.Equal("DEADLINE_EXCEEDED", measured.Tags.RpcStatusName());
        AssertNoErrorOrStackTrace();
    }

    /// <summary>
    /// A handler that returns its answer after the client reset the call (here a store read that finishes anyway) sends
    /// nothing the client gets: the call ends CANCELLED, not OK, though the handler itself did not give up.
    /// </summary>
    [Fact]
    public async Task AHandlerThatFinishesAfterTheReset_EndsCancelled()
    {
        var store = new LateOrderStore();
        await using var factory = new OrdersApiFactory(configureServices: store.AddTo);
        factory.UseKestrel(FreePort.Next());
        factory.StartServer();
        using var durations = new MetricCollector<double>(factory.Services.GetRequiredService<IMeterFactory>(), "Orders.Api", "rpc.server.call.duration");
        using var channel = GrpcChannel.ForAddress(factory.ClientOptions.BaseAddress);
        var requestId = Guid.NewGuid().ToString("N");
        using var cancellation = new CancellationTokenSource();

        var call = new OrderManagement.OrderManagementClient(channel)
            .getOrderAsync(new StringValue { Value = "late-1" }, new Metadata { { "x-request-id", requestId } }, cancellationToken: cancellation.Token);
        await store.Reading.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        var span = await factory.ServerSpanAsync(requestId);
        Assert.Equal(("CANCELLED", null), (span.RpcStatusName(), span.GetTagItem("rpc.grpc.handler_cancelled")));
        var ended = Assert.Single(factory.Services.GetFakeLogCollector().GetSnapshot(), r => ServerCallRecords.IsCallEnd(r) && r.GetStructuredStateValue("OrdersRequestId") == requestId);
        Assert.Equal(("GrpcCallFailed", "CANCELLED", LogLevel.Warning), (ended.Id.Name, ended.GetStructuredStateValue("StatusCode"), ended.Level));
        Assert.Equal("CANCELLED", Assert.Single(durations.GetMeasurementSnapshot()).Tags.RpcStatusName());
    }

    /// <summary>
    /// Calls of all four kinds cancelled by a real client at random points (before, during or after the injected delay,
    /// mid-stream): every call that reached the server (ASP.NET Core's own request count) is one end line, one server
    /// span and one metric point, a call the client saw succeed succeeded on the server, and nothing is logged at Error.
    /// </summary>
    [Fact]
    public async Task CallsCancelledAtRandomPoints_AreEachObservedExactlyOnce()
    {
        const int Calls = 200;
        using var requestDurations = new MetricCollector<double>(
            Factory.Services.GetRequiredService<IMeterFactory>(), "Microsoft.AspNetCore.Hosting", "http.server.request.duration");
        using var activeRequests = new MetricCollector<long>(
            Factory.Services.GetRequiredService<IMeterFactory>(), "Microsoft.AspNetCore.Hosting", "http.server.active_requests");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var clientStatuses = new Dictionary<string, StatusCode>();
        var clock = Stopwatch.StartNew();
        while (clientStatuses.Count < Calls && clock.Elapsed < Budget)
        {
            // Four at once: resets race the server's other calls too.
            var batch = Enumerable.Range(0, 4).Select(_ => (Id: Guid.NewGuid().ToString("N"), Kind: random.Next(4), DelayMs: random.Next(0, 40), CancelMs: random.Next(0, 30))).ToList();
            var results = await Task.WhenAll(batch.Select(c => CallAndCancelAsync(c.Id, c.Kind, c.DelayMs, c.CancelMs)));
            foreach (var (call, status) in batch.Zip(results))
            {
                clientStatuses[call.Id] = status;
            }
        }

        Assert.True(await Eventually.WithinAsync(() => activeRequests.GetMeasurementSnapshot().Sum(m => m.Value) == 0, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20)), "The server never finished its calls.");
        var reached = requestDurations.GetMeasurementSnapshot().Count(m => m.Tags.TryGetValue("http.route", out var route) && route is string r && r.StartsWith("/ecommerce.OrderManagement/", StringComparison.Ordinal));
        var ends = Factory.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Category == "Orders.Api.Interceptors.ServerCallTrackingInterceptor" && ServerCallRecords.IsCallEnd(r))
            .Select(r => (Id: r.GetStructuredStateValue("OrdersRequestId")!, Status: r.GetStructuredStateValue("StatusCode")!))
            .ToList();
        // Spans of other hosts in this test process are told apart by request id.
        var spans = Factory.ExportedSpans.Count(s => s.Kind == ActivityKind.Server && s.GetTagItem("orders.request_id") is string id && clientStatuses.ContainsKey(id));
        var points = Durations.GetMeasurementSnapshot().Count;
        // A call that reached the server but not the interceptor has an ASP.NET Core request span that was never made the call's.
        var unobserved = Factory.ExportedSpans.Where(s => s.Kind == ActivityKind.Server && s.GetTagItem("rpc.system") is null)
            .Select(s => $"{s.GetTagItem("url.path")} (grpc-status {s.GetTagItem("grpc.status_code")})");
        Assert.True(
            ends.Count == reached && spans == reached && points == reached,
            $"Seed {seed}: {clientStatuses.Count} calls, {reached} reached the server; {ends.Count} end lines, {spans} spans, {points} metric points; unobserved: {string.Join(", ", unobserved)}.");
        Assert.Equal(ends.Count, ends.DistinctBy(e => e.Id).Count());
        Assert.All(ends, e => Assert.True(e.Status is "OK" or "CANCELLED", $"Seed {seed}: call {e.Id} ended {e.Status} on the server."));
        Assert.All(ends, e => Assert.True(
            clientStatuses[e.Id] != StatusCode.OK || e.Status == "OK", $"Seed {seed}: call {e.Id} succeeded for the client but ended {e.Status} on the server."));
        Assert.True(ends.Count(e => e.Status == "CANCELLED") >= Calls / 5, $"Seed {seed}: only {ends.Count(e => e.Status == "CANCELLED")} of {ends.Count} calls were cancelled on the server.");
        AssertNoErrorOrStackTrace();
    }

    /// <summary>A prefix announcing 20 bytes, then 3 of them: a request message that never ends.</summary>
    private static byte[] UnfinishedMessage => [.. RawGrpcFrames.Prefix(0, 20), 1, 2, 3];

    private static Uri Method(string method) => new($"/ecommerce.OrderManagement/{method}", UriKind.Relative);

    /// <summary>Where in a call the client's reset lands.</summary>
    public enum ResetMoment
    {
        BeforeRequestEnd,
        InHandler,
        MidResponseStream,
    }

    private void AssertNoErrorOrStackTrace()
    {
        var records = Factory.Services.GetFakeLogCollector().GetSnapshot();
        Assert.DoesNotContain(records, r => r.Category == "Grpc.AspNetCore.Server.ServerCallHandler" && r.Id.Id == 6);
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Error || r.Exception is not null);
    }

    /// <summary>
    /// Ten calls that send HEADERS and part of a message (<see cref="UnfinishedMessage"/>), and reset 0 to 90 ms later:
    /// before the server reads the body, or while it waits for the rest.
    /// </summary>
    private async Task<IReadOnlyList<string>> ResetBeforeRequestEndAsync(string method)
    {
        var requestIds = new List<string>();
        for (var waitMs = 0; waitMs < 100; waitMs += 10)
        {
            var requestId = Guid.NewGuid().ToString("N");
            var answer = await RawGrpcCall.SendPartThenResetAsync(
                Http, Method(method), UnfinishedMessage, [new("x-request-id", requestId)], resetAfter: TimeSpan.FromMilliseconds(waitMs));
            Assert.Null(answer);
            requestIds.Add(requestId);
        }

        return requestIds;
    }

    /// <summary>Starts <paramref name="method"/> held 30 s by the injected delay, and cancels it once the server has started it.</summary>
    private async Task<string> CancelWhileDelayedAsync(string method)
    {
        var requestId = Guid.NewGuid().ToString("N");
        using var cancellation = new CancellationTokenSource();
        var headers = new Metadata { { "x-request-id", requestId }, { "x-orders-delay-ms", "30000" } };
        Func<Task> outcome = method switch
        {
            "getOrder" => () => Client.getOrderAsync(new StringValue { Value = "101" }, headers, cancellationToken: cancellation.Token).ResponseAsync,
            "searchOrders" => () => Client.searchOrders(new StringValue { Value = "Item" }, headers, cancellationToken: cancellation.Token).ResponseStream.MoveNext(),
            "updateOrders" => () => Client.updateOrders(headers, cancellationToken: cancellation.Token).ResponseAsync,
            _ => () => Client.processOrders(headers, cancellationToken: cancellation.Token).ResponseStream.MoveNext(),
        };
        var ending = outcome();
        Assert.True(await Eventually.WithinAsync(() => StartRecordExists(requestId), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(2)), "The server never started the call.");
        await cancellation.CancelAsync();
        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => ending)).StatusCode);
        return requestId;
    }

    /// <summary>
    /// Cancels a search whose result is far larger than the HTTP/2 flow-control window the client grants while it does
    /// not read: after the first order the handler is held in a write, mid-stream, when the reset comes.
    /// </summary>
    private async Task<string> CancelSearchMidResponseAsync()
    {
        var requestId = Guid.NewGuid().ToString("N");
        var padding = new string('p', 180);
        using (var update = Client.updateOrders())
        {
            for (var i = 0; i < 300; i++)
            {
                var order = new Order { Id = $"bulk-{i}", Description = new string('d', 2000), Price = 1 };
                order.Items.Add(Enumerable.Range(0, 10).Select(n => $"bulk-item {n} {padding}"));
                await update.RequestStream.WriteAsync(order);
            }

            await update.RequestStream.CompleteAsync();
            await update.ResponseAsync;
        }

        using var cancellation = new CancellationTokenSource();
        using var call = Client.searchOrders(new StringValue { Value = "bulk-item" }, new Metadata { { "x-request-id", requestId } }, cancellationToken: cancellation.Token);
        using var readTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.True(await call.ResponseStream.MoveNext(readTimeout.Token));
        await cancellation.CancelAsync();
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(readTimeout.Token));
        return requestId;
    }

    /// <summary>One call of the given kind, its handler delayed <paramref name="delayMs"/>, cancelled after <paramref name="cancelMs"/>; returns what the client saw.</summary>
    private async Task<StatusCode> CallAndCancelAsync(string requestId, int kind, int delayMs, int cancelMs)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(cancelMs));
        var headers = new Metadata { { "x-request-id", requestId }, { "x-orders-delay-ms", delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        var token = cancellation.Token;
        try
        {
            switch (kind)
            {
                case 0:
                    await Client.getOrderAsync(new StringValue { Value = "101" }, headers, cancellationToken: token);
                    break;
                case 1:
                    using (var search = Client.searchOrders(new StringValue { Value = "Item" }, headers, cancellationToken: token))
                    {
                        await foreach (var _ in search.ResponseStream.ReadAllAsync(token))
                        {
                        }
                    }

                    break;
                case 2:
                    using (var update = Client.updateOrders(headers, cancellationToken: token))
                    {
                        await update.RequestStream.WriteAsync(new Order { Id = $"random-{requestId}", Items = { "Item - R" }, Price = 1 }, token);
                        await update.RequestStream.CompleteAsync();
                        await update.ResponseAsync;
                    }

                    break;
                default:
                    using (var process = Client.processOrders(headers, cancellationToken: token))
                    {
                        foreach (var id in new[] { "101", "102", "103", "no-such-order" })
                        {
                            await process.RequestStream.WriteAsync(new StringValue { Value = id }, token);
                        }

                        await process.RequestStream.CompleteAsync();
                        await foreach (var _ in process.ResponseStream.ReadAllAsync(token))
                        {
                        }
                    }

                    break;
            }

            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
        catch (OperationCanceledException)
        {
            return StatusCode.Cancelled;
        }
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
        .Where(r => r.Category == "Orders.Api.Interceptors.ServerCallTrackingInterceptor" && r.GetStructuredStateValue("OrdersRequestId") == requestId);

    private bool StartRecordExists(string requestId) => CallRecords(requestId).Any(r => r.Id.Name == "GrpcCallStarted");

    private FakeLogRecord EndRecord(string requestId) => Assert.Single(CallRecords(requestId), ServerCallRecords.IsCallEnd);
}
