using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using static Orders.Tests.GrpcInsights.OtlpWire;
using static Orders.Tests.Infrastructure.RawGrpcFrames;

namespace Orders.Tests.GrpcInsights;

public enum OtlpTransport
{
    Grpc,
    HttpProtobuf,
    HttpJson,
}

/// <summary>One bad (or merely odd) export and exactly what the insights must answer to it.</summary>
public sealed record OtlpBadInputCase(string Name, string Category, OtlpTransport Transport, Func<OtlpBadInputTarget, Task<OtlpOutcome>> Send, OtlpOutcome Expected);

/// <summary>The insights under test: where its OTLP endpoints and its UI (for /api/status) are, and the API key exports require.</summary>
public sealed record OtlpBadInputTarget(Uri OtlpGrpc, Uri OtlpHttp, Uri Frontend, string ApiKey);

/// <summary>
/// The table of bad inputs to the insights' OTLP endpoints, by category. The insights run with an API key, a
/// 64 KiB size limit (<see cref="MaxBytes"/>), so oversize inputs stay small, and <see cref="MaxConcurrentExports"/>
/// exports parsed at once with no queue, so one more export is refused at once.
/// </summary>
public static class OtlpBadInputCases
{
    public const int MaxBytes = 65_536;
    public const int MaxConcurrentExports = 2;
    public const string ApiKey = "bad-input-key";

    private const string GrpcFraming = "gRPC framing and compression";
    private const string GrpcContent = "gRPC message content";
    private const string HttpBody = "HTTP protobuf body";
    private const string HttpHeaders = "HTTP headers and size";
    private const string JsonBody = "HTTP JSON body";
    private const string Auth = "API key";
    private const string NonFinite = "NaN and Infinity";
    private const string OverTheCap = "Exports over the concurrency cap";

    private const string NotTraceProtobuf = "The request is not a valid ExportTraceServiceRequest protobuf message";
    private const string NotTraceBody = "The body is not a valid ExportTraceServiceRequest protobuf message";
    private const string NotTraceJson = "The body is not a valid ExportTraceServiceRequest in OTLP/JSON";
    private const string TooLarge = "The export request is larger than the 65536-byte limit (Insights:Otlp:MaxRequestBodySize).";
    private const string TrailingData = "The request carries data after its message; a unary or server-streaming call takes exactly one.";
    private const string InvalidIds = "Spans need a 16-byte trace_id and an 8-byte span_id that are not all zeroes.";
    private const string Throttled = "The insights are already parsing 2 exports (Insights:Otlp:MaxConcurrentExports); retry after 1 s.";

    private static readonly byte[] Garbage = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01];
    private static readonly byte[] ValidTrace = ValidTraceRequest().Request.ToByteArray();
    private static readonly byte[] TruncatedTrace = ValidTrace[..(ValidTrace.Length / 2)];
    private static readonly byte[] OversizeTrace = ValidTraceRequest(attributeBytes: 100_000).Request.ToByteArray();
    // 10 MB of zeroes: about 10 KB compressed, far past the limit once decompressed.
    private static readonly byte[] GzipBomb = Gzip(new byte[10_000_000]);

    public static IReadOnlyList<OtlpBadInputCase> All { get; } =
    [
        // OTLP/gRPC: the frame around the message, and its compression.
        Grpc("garbage protobuf", GrpcFraming, TraceExportPath, Frame(Garbage), StatusCode.InvalidArgument, NotTraceProtobuf),
        Grpc("truncated protobuf", GrpcFraming, TraceExportPath, Frame(TruncatedTrace), StatusCode.InvalidArgument, NotTraceProtobuf),
        Grpc("no message at all", GrpcFraming, TraceExportPath, [], StatusCode.InvalidArgument,
            "The request ended without a message; a unary or server-streaming call takes exactly one."),
        Grpc("body shorter than the frame header", GrpcFraming, TraceExportPath, [0, 0, 0], StatusCode.InvalidArgument,
            "The request message is incomplete: the request ended 3 bytes into its 5-byte prefix."),
        Grpc("compressed flag 2", GrpcFraming, TraceExportPath, Frame(ValidTrace, compressedFlag: 2), StatusCode.InvalidArgument,
            "The request message could not be read: its compressed flag is 2; it must be 0 or 1."),
        Grpc("compressed flag without grpc-encoding", GrpcFraming, TraceExportPath, Frame(Gzip(ValidTrace), compressedFlag: 1), StatusCode.InvalidArgument,
            "The request message is flagged as compressed but its grpc-encoding is 'identity'."),
        Grpc("length prefix beyond the bytes sent", GrpcFraming, TraceExportPath, Frame(ValidTrace, announcedLength: (uint)ValidTrace.Length + 10),
            StatusCode.InvalidArgument, $"The request message is incomplete: the request ended after {ValidTrace.Length} of its {ValidTrace.Length + 10} bytes."),
        Grpc("length prefix short of the bytes sent", GrpcFraming, TraceExportPath, Frame(ValidTrace, announcedLength: (uint)ValidTrace.Length - 2),
            StatusCode.InvalidArgument, TrailingData),
        Grpc("two messages in a unary export", GrpcFraming, TraceExportPath, [.. Frame(ValidTrace), .. Frame(ValidTrace)], StatusCode.InvalidArgument,
            TrailingData),
        Grpc("length prefix of 2 GiB", GrpcFraming, TraceExportPath, Frame([], announcedLength: 0x8000_0000), StatusCode.ResourceExhausted,
            $"The request message is 2147483648 bytes; at most {MaxBytes} are accepted (Insights:Otlp:MaxRequestBodySize)."),
        Grpc("message over the limit", GrpcFraming, TraceExportPath, Frame(OversizeTrace), StatusCode.ResourceExhausted,
            $"The request message is {OversizeTrace.Length} bytes; at most {MaxBytes} are accepted (Insights:Otlp:MaxRequestBodySize)."),
        Grpc("gzip that is not gzip", GrpcFraming, TraceExportPath, Frame(Garbage, compressedFlag: 1), StatusCode.InvalidArgument,
            "The request message could not be decompressed: it is not valid gzip data.", ("grpc-encoding", "gzip")),
        Grpc("gzip bomb", GrpcFraming, TraceExportPath, Frame(GzipBomb, compressedFlag: 1), StatusCode.ResourceExhausted,
            $"The request message decompresses to more than {MaxBytes} bytes; at most {MaxBytes} are accepted (Insights:Otlp:MaxRequestBodySize).",
            ("grpc-encoding", "gzip")),
        Grpc("unsupported grpc-encoding", GrpcFraming, TraceExportPath, Frame(ValidTrace, compressedFlag: 1), StatusCode.Unimplemented,
            "Unsupported grpc-encoding value 'br'. Supported encodings: identity, gzip, deflate", ("grpc-encoding", "br")),
        Grpc("unknown method of the trace service", GrpcFraming, "/opentelemetry.proto.collector.trace.v1.TraceService/Import", Frame(ValidTrace),
            StatusCode.Unimplemented, "Method is unimplemented."),

        // OTLP/gRPC: well-framed messages that are wrong inside.
        Grpc("logs export of garbage", GrpcContent, LogsExportPath, Frame(Garbage), StatusCode.InvalidArgument,
            "The request is not a valid ExportLogsServiceRequest protobuf message"),
        Grpc("metrics export of garbage", GrpcContent, MetricsExportPath, Frame(Garbage), StatusCode.InvalidArgument,
            "The request is not a valid ExportMetricsServiceRequest protobuf message"),
        Grpc("metrics export over the limit", GrpcContent, MetricsExportPath, Frame(HugeHistogram()), StatusCode.ResourceExhausted,
            $"The request message is {HugeHistogram().Length} bytes; at most {MaxBytes} are accepted (Insights:Otlp:MaxRequestBodySize)."),
        Grpc("spans with missing or zero ids", GrpcContent, TraceExportPath, Frame(TraceRequest(new Span { Name = "no ids" }).ToByteArray()),
            StatusCode.OK, InvalidIds),

        // OTLP/HTTP with protobuf bodies.
        Http("garbage protobuf", HttpBody, "/v1/traces", Protobuf, Garbage, 400, StatusCode.InvalidArgument, NotTraceBody),
        Http("truncated protobuf", HttpBody, "/v1/traces", Protobuf, TruncatedTrace, 400, StatusCode.InvalidArgument, NotTraceBody),
        Http("logs body of garbage", HttpBody, "/v1/logs", Protobuf, Garbage, 400, StatusCode.InvalidArgument,
            "The body is not a valid ExportLogsServiceRequest protobuf message"),
        Http("metrics body of garbage", HttpBody, "/v1/metrics", Protobuf, Garbage, 400, StatusCode.InvalidArgument,
            "The body is not a valid ExportMetricsServiceRequest protobuf message"),
        Http("gzip body that is not gzip", HttpBody, "/v1/traces", Protobuf, Garbage, 400, StatusCode.InvalidArgument,
            "The gzip-encoded body could not be decompressed.", contentEncoding: "gzip"),
        Http("spans with missing or zero ids", HttpBody, "/v1/traces", Protobuf, TraceRequest(new Span { Name = "no ids" }).ToByteArray(),
            200, StatusCode.OK, InvalidIds),

        // OTLP/HTTP: what the headers say, and how big the body is.
        Http("body over the limit, with Content-Length", HttpHeaders, "/v1/traces", Protobuf, OversizeTrace, 413, StatusCode.ResourceExhausted, TooLarge),
        Http("body over the limit, chunked", HttpHeaders, "/v1/traces", Protobuf, OversizeTrace, 413, StatusCode.ResourceExhausted, TooLarge, chunked: true),
        Http("gzip bomb", HttpHeaders, "/v1/traces", Protobuf, GzipBomb, 413, StatusCode.ResourceExhausted, TooLarge, contentEncoding: "gzip"),
        Http("metrics body over the limit", HttpHeaders, "/v1/metrics", Protobuf, HugeHistogram(), 413, StatusCode.ResourceExhausted, TooLarge),
        Http("unsupported Content-Encoding", HttpHeaders, "/v1/traces", Protobuf, ValidTrace, 415, StatusCode.InvalidArgument,
            "Unsupported content encoding 'br': send gzip or no Content-Encoding.", contentEncoding: "br"),
        Http("XML content type", HttpHeaders, "/v1/traces", "application/xml", Encoding.UTF8.GetBytes("<resourceSpans/>"), 415, StatusCode.InvalidArgument,
            "Unsupported content type 'application/xml': send application/x-protobuf or application/json."),
        Http("no content type", HttpHeaders, "/v1/traces", null, ValidTrace, 415, StatusCode.InvalidArgument,
            "Unsupported content type '': send application/x-protobuf or application/json."),

        // OTLP/HTTP with JSON bodies.
        Json("truncated JSON", "/v1/traces", """{"resourceSpans": [""", 400, NotTraceJson),
        Json("trace id that is not hex", "/v1/traces", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"not-hex","spanId":"eee19b7ec3c1b174"}]}]}]}""",
            400, "The body is not valid OTLP/JSON: traceId 'not-hex' is not a hex-encoded id."),
        // The message quotes up to 40 characters of what was sent, then "…".
        Json("span id of 40 characters that is not hex", "/v1/traces", $$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"span_id":"{{NotHex(40)}}"}]}]}]}""",
            400, $"The body is not valid OTLP/JSON: span_id '{NotHex(40)}' is not a hex-encoded id."),
        Json("parent span id of 41 characters that is not hex", "/v1/traces", $$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"parent_span_id":"{{NotHex(41)}}"}]}]}]}""",
            400, $"The body is not valid OTLP/JSON: parent_span_id '{NotHex(40)}…' is not a hex-encoded id."),
        Json("number where a string belongs", "/v1/traces", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"name": 42}]}]}]}""", 400, NotTraceJson),
        Json("JSON null", "/v1/traces", "null", 400, "The body is JSON null, not an ExportTraceServiceRequest."),
        Json("property given twice", "/v1/traces", """{"resourceSpans":[],"resourceSpans":[]}""", 400,
            NotTraceJson + ": The property 'resourceSpans' is given twice in one object."),
        Json("trace id given twice", "/v1/traces",
            """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","traceId":"00"}]}]}]}""", 400,
            NotTraceJson + ": The property 'traceId' is given twice in one object."),
        Json("nesting deeper than 128", "/v1/traces", """{"resourceSpans":""" + new string('[', 200) + new string(']', 200) + "}", 400, NotTraceJson),
        Http("string that is not UTF-8", JsonBody, "/v1/traces", OtlpWire.Json,
            [.. Encoding.UTF8.GetBytes("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":" """), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}]}]}]}")],
            400, StatusCode.InvalidArgument, NotTraceJson + ": it is not UTF-8 text."),
        Json("logs body of garbage", "/v1/logs", """{"resourceLogs": 7}""", 400, "The body is not a valid ExportLogsServiceRequest in OTLP/JSON"),
        Json("metrics body of garbage", "/v1/metrics", """{"resourceMetrics": [{"scopeMetrics": "x"}]}""", 400,
            "The body is not a valid ExportMetricsServiceRequest in OTLP/JSON"),
        Json("body over the limit", "/v1/traces", $$$"""{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"stringValue":"{{{new string('x', 70_000)}}}"}}]}}]}""",
            413, TooLarge),

        // Who may export.
        Grpc("no API key", Auth, TraceExportPath, Frame(ValidTrace), StatusCode.Unauthenticated,
            "OTLP exports to these insights need the x-otlp-api-key header.", apiKey: null),
        Grpc("wrong API key", Auth, TraceExportPath, Frame(ValidTrace), StatusCode.Unauthenticated,
            "The x-otlp-api-key header does not match the insights' OTLP API key.", apiKey: "nope"),
        Http("no API key", Auth, "/v1/traces", Protobuf, ValidTrace, 401, StatusCode.Unauthenticated,
            "OTLP exports to these insights need the x-otlp-api-key header.", apiKey: null),
        Http("wrong API key, JSON", Auth, "/v1/traces", OtlpWire.Json, Encoding.UTF8.GetBytes("{}"), 401, StatusCode.Unauthenticated,
            "The x-otlp-api-key header does not match the insights' OTLP API key.", apiKey: "nope"),

        // Non-finite numbers are legal OTLP; they must never break a page or the JSON API (checked after every case).
        Grpc("NaN gauge", NonFinite, MetricsExportPath, Frame(Gauge(double.NaN)), StatusCode.OK, ""),
        Grpc("NaN deadline on a gRPC server span", NonFinite, TraceExportPath, Frame(ServerSpanWithDeadline(double.NaN)), StatusCode.OK, ""),
        Http("+Infinity deadline on a gRPC server span", NonFinite, "/v1/traces", Protobuf, ServerSpanWithDeadline(double.PositiveInfinity), 200, StatusCode.OK, ""),
        Http("-Infinity gauge", NonFinite, "/v1/metrics", Protobuf, Gauge(double.NegativeInfinity), 200, StatusCode.OK, ""),
        Json("NaN and Infinity in JSON", "/v1/traces", $$$"""
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}}}","spanId":"eee19b7ec3c1b177",
              "name":"ecommerce.OrderManagement/getOrder","kind":2,"attributes":[
              {"key":"rpc.system","value":{"stringValue":"grpc"}},{"key":"rpc.grpc.status_code","value":{"intValue":"0"}},
              {"key":"rpc.grpc.deadline_ms","value":{"doubleValue":"Infinity"}},{"key":"rpc.grpc.messages_sent","value":{"doubleValue":"NaN"}}]}]}]}]}
            """, 200, "", NonFinite),

        // One export more than may be parsed at once: refused as retryable (Retry-After and RetryInfo: OtlpExportAdmissionTests).
        WhileTheCapIsTaken(Grpc("valid trace export", OverTheCap, TraceExportPath, Frame(ValidTrace), StatusCode.Unavailable, Throttled)),
        WhileTheCapIsTaken(Http("valid trace export", OverTheCap, "/v1/traces", Protobuf, ValidTrace, 503, StatusCode.Unavailable, Throttled)),
        WhileTheCapIsTaken(Http("valid trace export", OverTheCap, "/v1/traces", OtlpWire.Json, Encoding.UTF8.GetBytes("{}"), 503, StatusCode.Unavailable, Throttled)),
    ];

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var badInput in All)
        {
            names.Add(Key(badInput));
        }

        return names;
    }

    public static OtlpBadInputCase Named(string key) => All.Single(c => Key(c) == key);

    private static string Key(OtlpBadInputCase badInput) => $"{badInput.Transport}: {badInput.Name}";

    private static OtlpBadInputCase Grpc(string name, string category, string path, byte[] body, StatusCode code, string message,
        params (string Name, string Value)[] headers) => Grpc(name, category, path, body, code, message, ApiKey, headers);

    private static OtlpBadInputCase Grpc(string name, string category, string path, byte[] body, StatusCode code, string message, string? apiKey,
        params (string Name, string Value)[] headers) =>
        new(name, category, OtlpTransport.Grpc,
            target => SendGrpcAsync(target.OtlpGrpc, path, body, [.. Headers(apiKey), .. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))]),
            new OtlpOutcome(null, code, message));

    private static string NotHex(int length) => string.Concat(Enumerable.Range(0, length).Select(i => (char)('g' + i % 20)));

    private static OtlpBadInputCase Json(string name, string path, string body, int httpStatus, string message, string category = JsonBody) =>
        Http(name, category, path, OtlpWire.Json, Encoding.UTF8.GetBytes(body), httpStatus, httpStatus == 200 ? StatusCode.OK
            : httpStatus == 413 ? StatusCode.ResourceExhausted : StatusCode.InvalidArgument, message);

    private static OtlpBadInputCase Http(string name, string category, string path, string? contentType, byte[] body, int httpStatus, StatusCode code,
        string message, string? contentEncoding = null, bool chunked = false, string? apiKey = ApiKey) =>
        new(name, category, contentType == OtlpWire.Json ? OtlpTransport.HttpJson : OtlpTransport.HttpProtobuf, target =>
        {
            HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            if (contentType is not null)
            {
                content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            }

            if (contentEncoding is not null)
            {
                content.Headers.ContentEncoding.Add(contentEncoding);
            }

            return PostAsync(target.OtlpHttp, path, content, Headers(apiKey));
        }, new OtlpOutcome(httpStatus, code, message));

    /// <summary>Sends the case while <see cref="MaxConcurrentExports"/> other exports are being read; they are abandoned after, storing nothing.</summary>
    private static OtlpBadInputCase WhileTheCapIsTaken(OtlpBadInputCase badInput) => badInput with
    {
        Send = async target =>
        {
            var held = await OtlpHeldExport.HoldAsync(MaxConcurrentExports, target.OtlpHttp, target.Frontend, Headers(ApiKey));
            try
            {
                return await badInput.Send(target);
            }
            finally
            {
                foreach (var export in held)
                {
                    await export.DisposeAsync();
                }

                await OtlpHeldExport.WaitInFlightAsync(target.Frontend, 0);
            }
        },
    };

    private static KeyValuePair<string, string>[] Headers(string? apiKey) => apiKey is null ? [] : [KeyValuePair.Create("x-otlp-api-key", apiKey)];

    // A 40,000-bucket exponential histogram point: legal, and over the 64 KiB limit.
    private static byte[] HugeHistogram()
    {
        var buckets = new ExponentialHistogramDataPoint.Types.Buckets();
        buckets.BucketCounts.AddRange(Enumerable.Repeat(300UL, 40_000));
        var histogram = new ExponentialHistogram { DataPoints = { new ExponentialHistogramDataPoint { Count = 12_000_000, Positive = buckets } } };
        return Metrics(new Metric { Name = "huge", ExponentialHistogram = histogram });
    }

    private static byte[] Gauge(double value) =>
        Metrics(new Metric { Name = "odd", Gauge = new Gauge { DataPoints = { new NumberDataPoint { AsDouble = value } } } });

    private static byte[] Metrics(Metric metric) => new ExportMetricsServiceRequest
    {
        ResourceMetrics = { new ResourceMetrics { ScopeMetrics = { new ScopeMetrics { Metrics = { metric } } } } },
    }.ToByteArray();

    private static byte[] ServerSpanWithDeadline(double deadlineMs)
    {
        var (request, _) = ValidTraceRequest();
        var span = request.ResourceSpans[0].ScopeSpans[0].Spans[0];
        span.Kind = Span.Types.SpanKind.Server;
        span.Attributes.Add(new KeyValue { Key = "rpc.system", Value = new AnyValue { StringValue = "grpc" } });
        span.Attributes.Add(new KeyValue { Key = "rpc.method", Value = new AnyValue { StringValue = "getOrder" } });
        span.Attributes.Add(new KeyValue { Key = "rpc.grpc.status_code", Value = new AnyValue { IntValue = 4 } });
        span.Attributes.Add(new KeyValue { Key = "rpc.grpc.deadline_ms", Value = new AnyValue { DoubleValue = deadlineMs } });
        return request.ToByteArray();
    }
}
