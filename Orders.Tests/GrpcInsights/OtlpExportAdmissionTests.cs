using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orders.Tests.Infrastructure;
using static Orders.Tests.GrpcInsights.OtlpWire;
using static Orders.Tests.Infrastructure.RawGrpcFrames;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// At most Insights:Otlp:MaxConcurrentExports exports are read and parsed at once, over all three transports; a
/// few more wait for a slot, the rest are refused as retryable (gRPC UNAVAILABLE with RetryInfo, HTTP 503 with
/// Retry-After), counted in /api/status, and once slots free up every transport is accepted again.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class OtlpExportAdmissionTests
{
    private const string Refusal = "The insights are already parsing 2 exports (Insights:Otlp:MaxConcurrentExports); retry after 1 s.";

    [Fact]
    public async Task ExportsOverTheCapAreRefusedAsRetryableOnEveryTransportAndAcceptedOnceSlotsFree()
    {
        await using var insights = await InsightsHost.StartAsync("Insights:Otlp:MaxConcurrentExports=2", "Insights:Otlp:MaxQueuedExports=4",
            "Insights:Otlp:ExportQueueTimeout=00:00:00.300");
        var held = await OtlpHeldExport.HoldAsync(2, insights.OtlpHttpUrl, insights.FrontendUrl, []);

        var overGrpc = await RawGrpcCall.SendAsync(insights.Http, new Uri(insights.OtlpGrpcUrl, TraceExportPath), Frame(ValidTraceRequest().Request.ToByteArray()), []);
        Assert.Equal((StatusCode.Unavailable, Refusal), (overGrpc.Status, overGrpc.Message));
        var retryInfo = Google.Rpc.Status.Parser.ParseFrom(overGrpc.StatusDetails!).Details.Single().Unpack<RetryInfo>();
        Assert.Equal(TimeSpan.FromSeconds(1), retryInfo.RetryDelay.ToTimeSpan());

        foreach (var (body, contentType) in new[] { (ValidTraceRequest().Request.ToByteArray(), Protobuf), (JsonTrace(), Json) })
        {
            using var refused = await PostAsync(insights.OtlpHttpUrl, body, contentType);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Equal(contentType, refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal((503, StatusCode.Unavailable, Refusal), ToTuple(await ReadOutcomeAsync(refused, "/v1/traces")));
        }

        var status = await insights.Http.GetJsonAsync("/api/status");
        Assert.Equal((2, 2, 3L, 0L, 0), (status.GetProperty("exportsInFlight").GetInt32(), status.GetProperty("maxExportsInFlight").GetInt32(),
            status.GetProperty("exportsRejected").GetInt64(), status.GetProperty("exportsQueued").GetInt64(), insights.Store.Traces.Count));

        foreach (var export in held)
        {
            Assert.Equal(StatusCode.OK, (await export.CompleteAsync()).Code);
            Assert.NotNull(insights.Store.Traces.Get(export.TraceId));
            await export.DisposeAsync();
        }

        Assert.Equal(StatusCode.OK, (await SendGrpcAsync(insights.OtlpGrpcUrl, TraceExportPath, Frame(ValidTraceRequest().Request.ToByteArray()), [])).Code);
        using var protobuf = await PostAsync(insights.OtlpHttpUrl, ValidTraceRequest().Request.ToByteArray(), Protobuf);
        using var json = await PostAsync(insights.OtlpHttpUrl, JsonTrace(), Json);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (protobuf.StatusCode, json.StatusCode));
        status = await insights.Http.GetJsonAsync("/api/status");
        Assert.Equal((0, 3L, 5), (status.GetProperty("exportsInFlight").GetInt32(), status.GetProperty("exportsRejected").GetInt64(), insights.Store.Traces.Count));
    }

    [Fact]
    public async Task AnExportWaitsForASlotWhileTheQueueHasRoomAndIsRefusedAtOnceWhenItIsFull()
    {
        await using var insights = await InsightsHost.StartAsync("Insights:Otlp:MaxConcurrentExports=1", "Insights:Otlp:MaxQueuedExports=1",
            "Insights:Otlp:ExportQueueTimeout=00:01:00");
        var held = Assert.Single(await OtlpHeldExport.HoldAsync(1, insights.OtlpHttpUrl, insights.FrontendUrl, []));

        var (request, traceId) = ValidTraceRequest();
        var queued = SendGrpcAsync(insights.OtlpGrpcUrl, TraceExportPath, Frame(request.ToByteArray()), []);
        await Eventually.HoldsAsync(() => insights.Http.GetJsonAsync("/api/status"), s => s.GetProperty("exportsWaiting").GetInt32() == 1,
            "one export waiting", timeoutSeconds: 30);

        // The queue is full: refused without waiting the minute the queued one may wait.
        var started = DateTime.UtcNow;
        using var refused = await PostAsync(insights.OtlpHttpUrl, JsonTrace(), Json);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), $"refused after {DateTime.UtcNow - started}");
        Assert.False(queued.IsCompleted);

        Assert.Equal(StatusCode.OK, (await held.CompleteAsync()).Code);
        Assert.Equal(StatusCode.OK, (await queued).Code);
        Assert.NotNull(insights.Store.Traces.Get(traceId));
        var status = await insights.Http.GetJsonAsync("/api/status");
        Assert.Equal((0, 0, 1L, 1L), (status.GetProperty("exportsInFlight").GetInt32(), status.GetProperty("exportsWaiting").GetInt32(),
            status.GetProperty("exportsQueued").GetInt64(), status.GetProperty("exportsRejected").GetInt64()));
        await held.DisposeAsync();
    }

    [Theory]
    [InlineData("MaxConcurrentExports=0", "Insights:Otlp:MaxConcurrentExports must be between 1 and 2147483647.")]
    [InlineData("MaxQueuedExports=-1", "Insights:Otlp:MaxQueuedExports must be between 0 and 2147483647.")]
    [InlineData("ExportQueueTimeout=00:05:00", "Insights:Otlp:ExportQueueTimeout must be between 00:00:00 and 00:01:00.")]
    public async Task AnUnworkableSettingIsRefusedAtStartNamingIt(string setting, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => InsightsHost.StartAsync("Insights:Otlp:" + setting));
        Assert.Equal([message], BadSettings.Describe(error));
    }

    private static (int?, StatusCode, string) ToTuple(OtlpOutcome outcome) => (outcome.HttpStatus, outcome.Code, outcome.Message);

    private static async Task<HttpResponseMessage> PostAsync(Uri otlpHttp, byte[] body, string contentType)
    {
        using var http = new HttpClient { BaseAddress = otlpHttp, Timeout = TimeSpan.FromSeconds(30) };
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
    }

    private static byte[] JsonTrace() => System.Text.Encoding.UTF8.GetBytes(
        $$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}}","spanId":"eee19b7ec3c1b174","name":"json span","kind":1}]}]}]}""");
}
