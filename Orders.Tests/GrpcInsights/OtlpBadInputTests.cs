using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using OpenTelemetry.Exporter;
using Orders.Tests.Infrastructure;
using static Orders.Tests.GrpcInsights.OtlpWire;
using static Orders.Tests.Infrastructure.RawGrpcFrames;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>One insights host, with an API key, a 64 KiB size limit and two exports parsed at once, that every bad input of the table is sent to.</summary>
public sealed class OtlpBadInputFixture : IAsyncLifetime
{
    public InsightsHost Insights { get; private set; } = null!;
    public OtlpBadInputTarget Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Insights = await InsightsHost.StartAsync($"Insights:Otlp:PrimaryApiKey={OtlpBadInputCases.ApiKey}",
            $"Insights:Otlp:MaxRequestBodySize={OtlpBadInputCases.MaxBytes}", $"Insights:Otlp:MaxConcurrentExports={OtlpBadInputCases.MaxConcurrentExports}",
            "Insights:Otlp:MaxQueuedExports=0");
        Target = new OtlpBadInputTarget(Insights.OtlpGrpcUrl, Insights.OtlpHttpUrl, Insights.FrontendUrl, OtlpBadInputCases.ApiKey);
    }

    public async Task DisposeAsync() => await Insights.DisposeAsync();
}

/// <summary>
/// Every bad export of <see cref="OtlpBadInputCases"/> gets its precise gRPC / HTTP status and message, and the insights
/// keeps serving afterwards: a valid export over the same transport is accepted and visible, and the pages still render.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class OtlpBadInputTests(OtlpBadInputFixture fixture) : IClassFixture<OtlpBadInputFixture>
{
    [Theory]
    [MemberData(nameof(OtlpBadInputCases.Names), MemberType = typeof(OtlpBadInputCases))]
    public async Task BadInputGetsItsPreciseStatusAndTheInsightsKeepServing(string name)
    {
        var badInput = OtlpBadInputCases.Named(name);

        var storedBefore = fixture.Insights.Store.Traces.Count;

        var outcome = await badInput.Send(fixture.Target);

        Assert.Equal((badInput.Expected.HttpStatus, badInput.Expected.Code), (outcome.HttpStatus, outcome.Code));
        Assert.StartsWith(badInput.Expected.Message, outcome.Message, StringComparison.Ordinal);
        if (badInput.Expected.Message.Length == 0)
        {
            Assert.Equal("", outcome.Message);
        }

        if (outcome.Code != Grpc.Core.StatusCode.OK)
        {
            Assert.Equal(storedBefore, fixture.Insights.Store.Traces.Count);
        }

        await AssertStillServingAsync(badInput.Transport);
    }

    [Fact]
    public async Task AnUnsupportedEncodingIsAnsweredWithTheEncodingsTheInsightsAccept()
    {
        using var http = new HttpClient();
        var reply = await RawGrpcCall.SendAsync(
            http, new Uri(fixture.Target.OtlpGrpc, TraceExportPath), Frame(ValidTraceRequest().Request.ToByteArray(), compressedFlag: 1),
            [KeyValuePair.Create("x-otlp-api-key", fixture.Target.ApiKey), KeyValuePair.Create("grpc-encoding", "br")]);

        Assert.Equal((Grpc.Core.StatusCode.Unimplemented, "identity,gzip,deflate"), (reply.Status, reply.AcceptEncoding));
    }

    [Fact]
    public async Task TheRealExporterWithTheKeyGetsIn()
    {
        var before = fixture.Insights.Store.Traces.Count;
        using (var emitter = new OtlpTelemetryEmitter(fixture.Insights.OtlpGrpcUrl, OtlpExportProtocol.Grpc, OtlpBadInputCases.ApiKey))
        {
            emitter.EmitCall(new SampleCall("getOrder", "OK"));
        }

        Assert.Equal(before + 1, fixture.Insights.Store.Traces.Count);
    }

    [Fact]
    public async Task EachPortServesOnlyItsOwnProtocol()
    {
        // Without an API key: the key check would answer the OTLP port first.
        await using var insights = await InsightsHost.StartAsync();
        using var otlpHttp = new HttpClient { BaseAddress = insights.OtlpHttpUrl };
        using var apiOnOtlpPort = await otlpHttp.GetAsync(new Uri("/api/traces", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, apiOnOtlpPort.StatusCode);

        using var otlpOnUiPort = await insights.Http.PostAsync(new Uri("/v1/traces", UriKind.Relative), Content(ValidTraceRequest().Request.ToByteArray(), Protobuf));
        Assert.Equal(HttpStatusCode.NotFound, otlpOnUiPort.StatusCode);
    }

    [Fact]
    public async Task TheSecondaryApiKeyIsAcceptedToo()
    {
        // Two keys let a key be rotated without a window in which exporters are refused.
        await using var insights = await InsightsHost.StartAsync("Insights:Otlp:PrimaryApiKey=first-key", "Insights:Otlp:SecondaryApiKey=next-key");
        var body = ValidTraceRequest().Request.ToByteArray();

        var secondary = await PostAsync(insights.OtlpHttpUrl, "/v1/traces", Content(body, Protobuf), [KeyValuePair.Create("x-otlp-api-key", "next-key")]);
        Assert.Equal(Grpc.Core.StatusCode.OK, secondary.Code);
        var overGrpc = await SendGrpcAsync(insights.OtlpGrpcUrl, TraceExportPath, Frame(body), [KeyValuePair.Create("x-otlp-api-key", "next-key")]);
        Assert.Equal(Grpc.Core.StatusCode.OK, overGrpc.Code);
        var wrong = await PostAsync(insights.OtlpHttpUrl, "/v1/traces", Content(body, Protobuf), [KeyValuePair.Create("x-otlp-api-key", "next-key-but-wrong")]);
        Assert.Equal((401, Grpc.Core.StatusCode.Unauthenticated), (wrong.HttpStatus, wrong.Code));
        Assert.Equal(1, insights.Store.Traces.Count);
    }

    private async Task AssertStillServingAsync(OtlpTransport transport)
    {
        var (request, traceId) = ValidTraceRequest();
        var key = new[] { KeyValuePair.Create("x-otlp-api-key", OtlpBadInputCases.ApiKey) };
        var accepted = transport switch
        {
            OtlpTransport.Grpc => await SendGrpcAsync(fixture.Target.OtlpGrpc, TraceExportPath, Frame(request.ToByteArray()), key),
            OtlpTransport.HttpProtobuf => await PostAsync(fixture.Target.OtlpHttp, "/v1/traces", Content(request.ToByteArray(), Protobuf), key),
            _ => await PostAsync(fixture.Target.OtlpHttp, "/v1/traces", Content(JsonOf(request), OtlpWire.Json), key),
        };
        Assert.Equal(Grpc.Core.StatusCode.OK, accepted.Code);

        var trace = await fixture.Insights.Http.GetJsonAsync($"/api/traces/{traceId}");
        Assert.Equal("raw span", Assert.Single(trace.Items("spans")).Str("name"));
        // Every page and API over the whole store, odd values included, still answers.
        foreach (var path in new[] { "/api/grpc/calls", "/api/traces", "/api/status", "/", "/traces" })
        {
            using var response = await fixture.Insights.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    private static ByteArrayContent Content(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    // OTLP/JSON: the protobuf JSON mapping with hex ids.
    private static byte[] JsonOf(OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest request)
    {
        var span = request.ResourceSpans[0].ScopeSpans[0].Spans[0];
        var json = $$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{Convert.ToHexStringLower(span.TraceId.Span)}}","spanId":"{{Convert.ToHexStringLower(span.SpanId.Span)}}","name":"{{span.Name}}","kind":1}]}]}]}""";
        return System.Text.Encoding.UTF8.GetBytes(json);
    }
}
