using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using Orders.Tests.Infrastructure;

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

    /// <summary>A raw OTLP/gRPC call (<see cref="RawGrpcCall"/>); a successful trace export's message is its partial success.</summary>
    public static async Task<OtlpOutcome> SendGrpcAsync(Uri otlpGrpc, string path, byte[] body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var reply = await RawGrpcCall.SendAsync(http, new Uri(otlpGrpc, path), body, headers);
        // The gRPC protocol requires it on every response, the trailers-only refusals written before grpc-dotnet runs included.
        Assert.Equal((HttpStatusCode.OK, "application/grpc"), (reply.HttpStatus, reply.ContentType));
        var message = reply.Status == StatusCode.OK && path == TraceExportPath
            ? ExportTraceServiceResponse.Parser.ParseFrom(reply.Body.AsSpan(5)).PartialSuccess?.ErrorMessage ?? ""
            : reply.Message;
        return new OtlpOutcome(null, reply.Status, message);
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
}
