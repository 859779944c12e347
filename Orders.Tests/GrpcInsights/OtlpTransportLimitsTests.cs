using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;
using static Orders.Tests.GrpcInsights.OtlpWire;
using static Orders.Tests.Infrastructure.RawGrpcFrames;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// Insights:Otlp:MaxRequestBodySize at its exact boundary, compressed or not, and above the web server's and gRPC's own
/// defaults; each transport answering only its own requests.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class OtlpTransportLimitsTests
{
    private const int MaxBytes = 65_536;
    private const string TooLarge = "The export request is larger than the 65536-byte limit (Insights:Otlp:MaxRequestBodySize).";

    [Fact]
    public async Task ABodyOfExactlyTheLimitIsAcceptedPlainOrGzippedAndOneByteMoreIsRefused()
    {
        await using var insights = await InsightsHost.StartAsync($"Insights:Otlp:MaxRequestBodySize={MaxBytes}");
        var (atLimit, overLimit) = (TraceOfExactly(MaxBytes), TraceOfExactly(MaxBytes + 1));

        var (accepted, refused) = (new OtlpOutcome(200, StatusCode.OK, ""), new OtlpOutcome(413, StatusCode.ResourceExhausted, TooLarge));

        Assert.Equal(
            [accepted, accepted, accepted, refused, refused],
            [
                await PostTraceAsync(insights, atLimit),
                await PostTraceAsync(insights, atLimit, contentEncoding: "identity"),
                await PostTraceAsync(insights, Gzip(atLimit), contentEncoding: "gzip"),
                await PostTraceAsync(insights, overLimit),
                // Small on the wire, one byte over the limit once inflated.
                await PostTraceAsync(insights, Gzip(overLimit), contentEncoding: "gzip"),
            ]);
        // The three accepted posts are one trace; the refused ones stored nothing.
        Assert.Equal(1, insights.Store.Traces.Count);
    }

    [Fact]
    public async Task ALimitAboveTheWebServersAndGrpcsOwnDefaultsHoldsOnBothTransports()
    {
        // Kestrel refuses bodies over 30,000,000 bytes and grpc-dotnet messages over 4 MiB unless told otherwise.
        await using var insights = await InsightsHost.StartAsync("Insights:Otlp:MaxRequestBodySize=33554432");
        var export = new ExportLogsServiceRequest
        {
            ResourceLogs = { new ResourceLogs { ScopeLogs = { new ScopeLogs { LogRecords = { new LogRecord
            {
                Body = new AnyValue { BytesValue = ByteString.CopyFrom(new byte[31_000_000]) },
            } } } } } },
        }.ToByteArray();

        var overGrpc = await SendGrpcAsync(insights.OtlpGrpcUrl, LogsExportPath, Frame(export), []);
        using var content = new ByteArrayContent(export);
        content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        var overHttp = await PostAsync(insights.OtlpHttpUrl, "/v1/logs", content, []);

        Assert.Equal((StatusCode.OK, "", StatusCode.OK, ""), (overGrpc.Code, overGrpc.Message, overHttp.Code, overHttp.Message));
    }

    [Fact]
    public async Task EachTransportAnswersOnlyItsOwnContentTypes()
    {
        await using var insights = await InsightsHost.StartAsync();
        var trace = ValidTraceRequest().Request.ToByteArray();

        // A gRPC request sent to the OTLP/HTTP endpoint is an unsupported content type there, not a gRPC frame to check.
        Assert.Equal(
            new OtlpOutcome(415, StatusCode.InvalidArgument, "Unsupported content type 'application/grpc': send application/x-protobuf or application/json."),
            await PostTraceAsync(insights, Frame(trace), contentType: "application/grpc"));

        // And a body that is not gRPC, sent to the OTLP/gRPC endpoint, is refused by gRPC as such, unread.
        using var http = new HttpClient();
        var reply = await RawGrpcCall.SendAsync(http, new Uri(insights.OtlpGrpcUrl, TraceExportPath), trace, [], contentType: Protobuf);
        Assert.Equal((System.Net.HttpStatusCode.UnsupportedMediaType, StatusCode.Internal), (reply.HttpStatus, reply.Status));
        Assert.Equal(0, insights.Store.Traces.Count);
    }

    /// <summary>One span whose attribute pads the serialized export request to exactly the given size.</summary>
    private static byte[] TraceOfExactly(int bytes)
    {
        var request = ValidTraceRequest(attributeBytes: bytes).Request;
        var padding = request.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes[0].Value;
        while (request.CalculateSize() != bytes)
        {
            padding.StringValue = new string('x', padding.StringValue.Length + bytes - request.CalculateSize());
        }

        return request.ToByteArray();
    }

    private static async Task<OtlpOutcome> PostTraceAsync(InsightsHost insights, byte[] body, string? contentEncoding = null, string contentType = Protobuf)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (contentEncoding is not null)
        {
            content.Headers.ContentEncoding.Add(contentEncoding);
        }

        return await PostAsync(insights.OtlpHttpUrl, "/v1/traces", content, []);
    }
}
