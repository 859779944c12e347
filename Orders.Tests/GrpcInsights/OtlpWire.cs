extern alias GrpcInsights;

using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using GrpcInsights::OpenTelemetry.Proto.Collector.Trace.V1;
using GrpcInsights::OpenTelemetry.Proto.Common.V1;
using GrpcInsights::OpenTelemetry.Proto.Trace.V1;

namespace Orders.Tests.GrpcInsights;

/// <summary>What an OTLP endpoint answered: the HTTP status (null over gRPC), the gRPC / google.rpc status code and its message.</summary>
public sealed record OtlpOutcome(int? HttpStatus, StatusCode Code, string Message);

/// <summary>
/// OTLP exactly as it travels, bad bytes included: OTLP/HTTP posts, and OTLP/gRPC as raw HTTP/2 requests whose body is
/// written byte by byte (so a frame can lie about its length), read back as status, message and partial success.
/// </summary>
public static class OtlpWire
{
    public const string TraceExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    public const string LogsExportPath = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
    public const string MetricsExportPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    public const string Protobuf = "application/x-protobuf";
    public const string Json = "application/json";

    /// <summary>One span of a fresh trace; returns the request and the trace id (lower-case hex).</summary>
    public static (ExportTraceServiceRequest Request, string TraceId) ValidTraceRequest(int attributeBytes = 0)
    {
        var traceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
        var span = new Span
        {
            TraceId = traceId,
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes(Random.Shared.NextInt64(1, long.MaxValue))),
            Name = "raw span",
            Kind = Span.Types.SpanKind.Internal,
        };
        if (attributeBytes > 0)
        {
            span.Attributes.Add(new KeyValue { Key = "big", Value = new AnyValue { StringValue = new string('x', attributeBytes) } });
        }

        return (TraceRequest(span), Convert.ToHexStringLower(traceId.Span));
    }

    public static ExportTraceServiceRequest TraceRequest(params Span[] spans) =>
        new() { ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { spans } } } } } };

    /// <summary>A gRPC length-prefixed message: compressed flag, 4-byte big-endian length, the bytes.</summary>
    public static byte[] Frame(byte[] message, byte compressedFlag = 0, uint? announcedLength = null)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), announcedLength ?? (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zip = new GZipStream(compressed, CompressionLevel.Optimal))
        {
            zip.Write(data);
        }

        return compressed.ToArray();
    }

    /// <summary>A raw OTLP/gRPC call over h2c: the body as given, the status from headers (trailers-only) or trailers.</summary>
    public static async Task<OtlpOutcome> SendGrpcAsync(Uri otlpGrpc, string path, byte[] body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(otlpGrpc, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var reply = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var code = Header(response, "grpc-status") ?? throw new Xunit.Sdk.XunitException("The response carries no grpc-status.");
        var message = Uri.UnescapeDataString(Header(response, "grpc-message") ?? "");
        var status = (StatusCode)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
        if (status == StatusCode.OK && path == TraceExportPath)
        {
            message = ExportTraceServiceResponse.Parser.ParseFrom(reply.AsSpan(5)).PartialSuccess?.ErrorMessage ?? "";
        }

        return new OtlpOutcome(null, status, message);
    }

    public static async Task<OtlpOutcome> PostAsync(Uri otlpHttp, string path, HttpContent content, IEnumerable<KeyValuePair<string, string>> headers)
    {
        using var http = new HttpClient { BaseAddress = otlpHttp, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        return await ReadOutcomeAsync(response, path);
    }

    /// <summary>HTTP failures carry a google.rpc.Status and successes an Export*ServiceResponse, in the encoding of the request.</summary>
    public static async Task<OtlpOutcome> ReadOutcomeAsync(HttpResponseMessage response, string path)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        var json = response.Content.Headers.ContentType?.MediaType == Json;
        Assert.True(json || response.Content.Headers.ContentType?.MediaType == Protobuf, $"content type {response.Content.Headers.ContentType}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = json ? Google.Rpc.Status.Parser.ParseJson(System.Text.Encoding.UTF8.GetString(body)) : Google.Rpc.Status.Parser.ParseFrom(body);
            return new OtlpOutcome((int)response.StatusCode, (StatusCode)status.Code, status.Message);
        }

        var partial = !path.EndsWith("/traces", StringComparison.Ordinal) ? ""
            : json ? JsonDocument.Parse(body).RootElement.TryGetProperty("partialSuccess", out var p) ? p.GetProperty("errorMessage").GetString() ?? "" : ""
            : ExportTraceServiceResponse.Parser.ParseFrom(body).PartialSuccess?.ErrorMessage ?? "";
        return new OtlpOutcome(200, StatusCode.OK, partial);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.TrailingHeaders.TryGetValues(name, out values) ? values.First() : null;
}
