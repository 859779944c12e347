extern alias GrpcInsights;

using System.Net;
using System.Net.Http.Headers;
using GrpcInsights::OpenTelemetry.Proto.Collector.Trace.V1;
using GrpcInsights::OpenTelemetry.Proto.Trace.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Exporter;

namespace Orders.Tests.GrpcInsights;

/// <summary>Bad exports get the precise gRPC / HTTP error, and the dashboard keeps serving afterwards.</summary>
[Collection(DashboardServersDefinition.Name)]
public sealed class OtlpBadInputTests
{
    private const string ApiKey = "test-key-1234";
    private static readonly Method<byte[], byte[]> RawTraceExport = new(
        MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export",
        Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(bytes => bytes, bytes => bytes));

    [Fact]
    public async Task MalformedProtobufIsRejectedOnBothTransports()
    {
        await using var dashboard = await DashboardHost.StartAsync();
        byte[] garbage = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01];

        using var http = await PostAsync(dashboard, "/v1/traces", garbage);
        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        var status = await ReadStatusAsync(http);
        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        Assert.StartsWith("The body is not a valid ExportTraceServiceRequest protobuf message", status.Message, StringComparison.Ordinal);

        var grpc = await Assert.ThrowsAsync<RpcException>(() => RawGrpcExportAsync(dashboard, garbage));
        Assert.Equal(StatusCode.InvalidArgument, grpc.StatusCode);
        Assert.StartsWith("The request is not a valid ExportTraceServiceRequest protobuf message", grpc.Status.Detail, StringComparison.Ordinal);

        await AssertStillServingAsync(dashboard);
    }

    [Fact]
    public async Task WrongContentTypeGets415()
    {
        await using var dashboard = await DashboardHost.StartAsync();
        using var content = new StringContent("<resourceSpans/>", new MediaTypeHeaderValue("application/xml"));
        using var response = await new HttpClient { BaseAddress = dashboard.OtlpHttpUrl }.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var status = await ReadStatusAsync(response);
        Assert.Equal("Unsupported content type 'application/xml': send application/x-protobuf or application/json.", status.Message);
        await AssertStillServingAsync(dashboard);
    }

    [Fact]
    public async Task OversizedExportsAreRefusedOnBothTransports()
    {
        await using var dashboard = await DashboardHost.StartAsync("Dashboard:Otlp:MaxRequestBodySize=65536");
        var big = ValidRequest(attributeBytes: 100_000).ToByteArray();

        using var http = await PostAsync(dashboard, "/v1/traces", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, http.StatusCode);
        Assert.Equal((int)StatusCode.ResourceExhausted, (await ReadStatusAsync(http)).Code);

        var grpc = await Assert.ThrowsAsync<RpcException>(() => RawGrpcExportAsync(dashboard, big));
        Assert.Equal(StatusCode.ResourceExhausted, grpc.StatusCode);

        Assert.Equal(0, dashboard.Store.Traces.Count);
        await AssertStillServingAsync(dashboard);
    }

    [Fact]
    public async Task MissingOrWrongApiKeyIsUnauthenticated()
    {
        await using var dashboard = await DashboardHost.StartAsync($"Dashboard:Otlp:PrimaryApiKey={ApiKey}");
        var body = ValidRequest().ToByteArray();

        using var missing = await PostAsync(dashboard, "/v1/traces", body);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal((int)StatusCode.Unauthenticated, (await ReadStatusAsync(missing)).Code);
        using var wrong = await PostAsync(dashboard, "/v1/traces", body, apiKey: "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var grpcMissing = await Assert.ThrowsAsync<RpcException>(() => RawGrpcExportAsync(dashboard, body));
        Assert.Equal(StatusCode.Unauthenticated, grpcMissing.StatusCode);
        var grpcWrong = await Assert.ThrowsAsync<RpcException>(() => RawGrpcExportAsync(dashboard, body, apiKey: "nope"));
        Assert.Equal(StatusCode.Unauthenticated, grpcWrong.StatusCode);
        Assert.Contains("does not match", grpcWrong.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, dashboard.Store.Traces.Count);

        // The right key through the real exporter gets in.
        using (var emitter = new OtlpTelemetryEmitter(dashboard.OtlpGrpcUrl, OtlpExportProtocol.Grpc, ApiKey))
        {
            emitter.EmitCall(new SampleCall("getOrder", "OK"));
        }

        using var accepted = await PostAsync(dashboard, "/v1/traces", body, apiKey: ApiKey);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(2, dashboard.Store.Traces.Count);
    }

    [Fact]
    public async Task SpansWithInvalidIdsAreReportedAsPartialSuccess()
    {
        await using var dashboard = await DashboardHost.StartAsync();
        var request = ValidRequest();
        request.ResourceSpans[0].ScopeSpans[0].Spans.Add(new Span { Name = "no ids", TraceId = ByteString.CopyFrom(new byte[16]) });

        using var response = await PostAsync(dashboard, "/v1/traces", request.ToByteArray());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, reply.PartialSuccess.RejectedSpans);
        Assert.Equal(1, dashboard.Store.Traces.Count);
    }

    [Fact]
    public async Task EachPortServesOnlyItsOwnProtocol()
    {
        await using var dashboard = await DashboardHost.StartAsync();
        using var otlpHttp = new HttpClient { BaseAddress = dashboard.OtlpHttpUrl };
        using var apiOnOtlpPort = await otlpHttp.GetAsync(new Uri("/api/traces", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, apiOnOtlpPort.StatusCode);

        using var content = new ByteArrayContent(ValidRequest().ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var otlpOnUiPort = await dashboard.Http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.NotFound, otlpOnUiPort.StatusCode);
    }

    private static ExportTraceServiceRequest ValidRequest(int attributeBytes = 0)
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes(Random.Shared.NextInt64(1, long.MaxValue))),
            Name = "raw span",
            Kind = Span.Types.SpanKind.Internal,
        };
        if (attributeBytes > 0)
        {
            span.Attributes.Add(new GrpcInsights::OpenTelemetry.Proto.Common.V1.KeyValue
            {
                Key = "big",
                Value = new GrpcInsights::OpenTelemetry.Proto.Common.V1.AnyValue { StringValue = new string('x', attributeBytes) },
            });
        }

        return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { span } } } } } };
    }

    [Fact]
    public async Task ConfiguredAttributeLimitsCapWhatIsKept()
    {
        await using var dashboard = await DashboardHost.StartAsync(
            "Dashboard:TelemetryLimits:MaxAttributeCount=2", "Dashboard:TelemetryLimits:MaxAttributeLength=10");
        var request = ValidRequest();
        var span = request.ResourceSpans[0].ScopeSpans[0].Spans[0];
        foreach (var key in new[] { "first", "second", "third" })
        {
            span.Attributes.Add(new GrpcInsights::OpenTelemetry.Proto.Common.V1.KeyValue
            {
                Key = key,
                Value = new GrpcInsights::OpenTelemetry.Proto.Common.V1.AnyValue { StringValue = new string('v', 50) },
            });
        }

        using var response = await PostAsync(dashboard, "/v1/traces", request.ToByteArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = dashboard.Store.Traces.Get(Convert.ToHexStringLower(span.TraceId.ToByteArray()));
        Assert.NotNull(stored);
        var attributes = Assert.Single(stored.Spans).Span.Attributes;
        Assert.Equal(["first", "second"], attributes.Select(a => a.Key));
        Assert.All(attributes, a => Assert.Equal(new string('v', 10) + "…", a.Value));
    }

    [Fact]
    public async Task TheSecondaryApiKeyIsAcceptedToo()
    {
        // Two keys let a key be rotated without a window in which exporters are refused.
        await using var dashboard = await DashboardHost.StartAsync($"Dashboard:Otlp:PrimaryApiKey={ApiKey}", "Dashboard:Otlp:SecondaryApiKey=next-key");
        var body = ValidRequest().ToByteArray();

        using var secondary = await PostAsync(dashboard, "/v1/traces", body, apiKey: "next-key");
        Assert.Equal(HttpStatusCode.OK, secondary.StatusCode);
        await RawGrpcExportAsync(dashboard, body, apiKey: "next-key");
        using var wrong = await PostAsync(dashboard, "/v1/traces", body, apiKey: "next-key-but-wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(1, dashboard.Store.Traces.Count);
    }

    private static async Task<HttpResponseMessage> PostAsync(DashboardHost dashboard, string path, byte[] body, string? apiKey = null)
    {
        using var http = new HttpClient { BaseAddress = dashboard.OtlpHttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        if (apiKey is not null)
        {
            request.Headers.Add("x-otlp-api-key", apiKey);
        }

        return await http.SendAsync(request);
    }

    // OTLP/HTTP failures carry a protobuf google.rpc.Status, in the encoding of the request.
    private static async Task<Google.Rpc.Status> ReadStatusAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        return Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task RawGrpcExportAsync(DashboardHost dashboard, byte[] body, string? apiKey = null)
    {
        using var channel = GrpcChannel.ForAddress(dashboard.OtlpGrpcUrl, new GrpcChannelOptions { MaxSendMessageSize = null });
        var headers = apiKey is null ? [] : new Metadata { { "x-otlp-api-key", apiKey } };
        await channel.CreateCallInvoker().AsyncUnaryCall(RawTraceExport, null, new CallOptions(headers, DateTime.UtcNow.AddSeconds(20)), body);
    }

    private static async Task AssertStillServingAsync(DashboardHost dashboard)
    {
        using var response = await PostAsync(dashboard, "/v1/traces", ValidRequest().ToByteArray());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traces = await dashboard.Http.GetJsonAsync("/api/traces");
        Assert.Equal(1, traces.GetProperty("totalCount").GetInt32());
    }
}
