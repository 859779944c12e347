using System.Diagnostics;
using System.Globalization;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using OrdersAspire.TestHarness;

namespace OrdersAspire.GrpcInsights.Benchmarks;

/// <summary>
/// Four hostile-but-legal loads, each sent to a fresh insights process (the real executable, default settings):
/// the process's resident memory at rest, after the load, and at its peak (VmHWM) say what the load cost. The same
/// load is then sent to insights started in this process, where the managed heap after a full collection says what
/// the insights keep (resident memory also holds garbage the server GC has not returned).
/// </summary>
internal static class MemoryLoads
{
    private static readonly Method<byte[], byte[]> TraceExport = RawMethod("opentelemetry.proto.collector.trace.v1.TraceService");
    private static readonly Method<byte[], byte[]> MetricsExport = RawMethod("opentelemetry.proto.collector.metrics.v1.MetricsService");

    public sealed record Result(string Load, double IdleMegabytes, double AfterMegabytes, double PeakMegabytes, double KeptHeapMegabytes, string Status);

    public static async Task<IReadOnlyList<Result>> RunAsync(string insightsDll) =>
    [
        await MeasureAsync(insightsDll, "200,000 spans in 20 trace ids (OTLP/gRPC, 100 × 2,000 spans)", SpansInFewTracesAsync),
        await MeasureAsync(insightsDll, "50,000 spans with ten 1,000-character attributes (OTLP/gRPC, 500 traces × 100 spans)", BigAttributesAsync),
        await MeasureAsync(insightsDll, "150 histogram points with 400,000 buckets each (OTLP/gRPC metrics, 10 points a request)", HugeHistogramsAsync),
        await MeasureAsync(insightsDll, "one 3.9 MB OTLP/JSON body (100 spans, one 38,000-character attribute each)", client => JsonBodiesAsync(client, 1)),
        await MeasureAsync(insightsDll, "twenty such OTLP/JSON bodies, one after another", client => JsonBodiesAsync(client, 20)),
    ];

    /// <summary>What <paramref name="concurrent"/> OTLP/JSON exports sent at once did to a fresh insights process.</summary>
    public sealed record ConcurrentResult(int Concurrent, double BodyMegabytes, double IdleMegabytes, double PeakMegabytes,
        IReadOnlyDictionary<int, int> Answers, string Status);

    /// <summary>
    /// Sends <paramref name="concurrent"/> 3.6 MB OTLP/JSON exports at once to a fresh insights process (default
    /// settings) and reads its peak resident memory (VmHWM) and how many exports got which HTTP status.
    /// </summary>
    public static async Task<ConcurrentResult> ConcurrentJsonAsync(string insightsDll, int concurrent)
    {
        var body = OtlpJson(Request(Enumerable.Range(0, 100).Select(i => NewSpan(TraceId(7_000), i + 1, attributes: 1, attributeLength: 36_000))));
        await using var insights = await Insights.StartAsync(insightsDll);
        var idle = insights.ResidentMegabytes("VmRSS");
        using var http = new HttpClient { BaseAddress = insights.OtlpHttpUrl, Timeout = TimeSpan.FromSeconds(120) };
        using var start = new SemaphoreSlim(0);
        var exports = Enumerable.Range(0, concurrent).Select(async _ =>
        {
            await start.WaitAsync();
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
            return (int)response.StatusCode;
        }).ToList();
        start.Release(concurrent);
        var answers = (await Task.WhenAll(exports)).GroupBy(code => code).ToDictionary(g => g.Key, g => g.Count());
        var status = await insights.Http.GetStringAsync(new Uri("/api/status", UriKind.Relative));
        return new ConcurrentResult(concurrent, body.Length / 1_000_000.0, idle, insights.ResidentMegabytes("VmHWM"), answers, status);
    }

    /// <summary>Managed bytes allocated to parse one of the 3.9 MB OTLP/JSON bodies, in this process: what a body costs while parsed.</summary>
    public static double JsonParseAllocatedMegabytes()
    {
        var body = OtlpJson(Request(Enumerable.Range(0, 100).Select(i => NewSpan(TraceId(9_000), i + 1, attributes: 1, attributeLength: 38_000))));
        OrdersAspire.GrpcInsights.Otlp.OtlpHttpEncoding.Json.Parse(ExportTraceServiceRequest.Parser, body);
        var before = GC.GetAllocatedBytesForCurrentThread();
        OrdersAspire.GrpcInsights.Otlp.OtlpHttpEncoding.Json.Parse(ExportTraceServiceRequest.Parser, body);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 1024.0 / 1024.0;
    }

    private static async Task<Result> MeasureAsync(string insightsDll, string load, Func<Insights, Task> send)
    {
        double idle, after, peak;
        string status;
        await using (var insights = await Insights.StartAsync(insightsDll))
        {
            idle = insights.ResidentMegabytes("VmRSS");
            await send(insights);
            // Let the server finish what it received before reading what it holds.
            await Task.Delay(TimeSpan.FromSeconds(2));
            status = await insights.Http.GetStringAsync(new Uri("/api/status", UriKind.Relative));
            (after, peak) = (insights.ResidentMegabytes("VmRSS"), insights.ResidentMegabytes("VmHWM"));
        }

        await using var inProcess = await Insights.InProcessAsync();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await send(inProcess);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var kept = (GC.GetTotalMemory(forceFullCollection: true) - before) / 1024.0 / 1024.0;
        return new Result(load, idle, after, peak, kept, status);
    }

    private static async Task SpansInFewTracesAsync(Insights insights)
    {
        for (var batch = 0; batch < 100; batch++)
        {
            var spans = Enumerable.Range(0, 2_000).Select(i => NewSpan(TraceId(i % 20), (batch * 2_000) + i, attributes: 6, attributeLength: 20));
            await insights.ExportAsync(TraceExport, Request(spans).ToByteArray());
        }
    }

    private static async Task BigAttributesAsync(Insights insights)
    {
        for (var trace = 0; trace < 500; trace++)
        {
            var spans = Enumerable.Range(0, 100).Select(i => NewSpan(TraceId(1_000 + trace), (trace * 100) + i, attributes: 10, attributeLength: 1_000));
            await insights.ExportAsync(TraceExport, Request(spans).ToByteArray());
        }
    }

    private static async Task HugeHistogramsAsync(Insights insights)
    {
        for (var request = 0; request < 15; request++)
        {
            var histogram = new ExponentialHistogram { AggregationTemporality = AggregationTemporality.Cumulative };
            for (var point = 0; point < 10; point++)
            {
                var buckets = new ExponentialHistogramDataPoint.Types.Buckets();
                buckets.BucketCounts.AddRange(Enumerable.Repeat(1UL, 400_000));
                histogram.DataPoints.Add(new ExponentialHistogramDataPoint { Count = 400_000, Scale = 20, Positive = buckets });
            }

            var export = new ExportMetricsServiceRequest
            {
                ResourceMetrics = { new ResourceMetrics { ScopeMetrics = { new ScopeMetrics { Metrics = { new Metric { Name = "huge", ExponentialHistogram = histogram } } } } } },
            };
            await insights.ExportAsync(MetricsExport, export.ToByteArray());
        }
    }

    private static async Task JsonBodiesAsync(Insights insights, int count)
    {
        using var http = new HttpClient { BaseAddress = insights.OtlpHttpUrl, Timeout = TimeSpan.FromSeconds(60) };
        for (var body = 0; body < count; body++)
        {
            var spans = Enumerable.Range(0, 100).Select(i => NewSpan(TraceId(5_000 + body), i + 1, attributes: 1, attributeLength: 38_000));
            using var content = new ByteArrayContent(OtlpJson(Request(spans)));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
        }
    }

    private static ExportTraceServiceRequest Request(IEnumerable<Span> spans) => new()
    {
        ResourceSpans =
        {
            new ResourceSpans
            {
                Resource = new Resource { Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "memory-load" } } } },
                ScopeSpans = { new ScopeSpans { Spans = { spans } } },
            },
        },
    };

    private static Span NewSpan(ByteString traceId, long n, int attributes, int attributeLength)
    {
        var start = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var span = new Span
        {
            TraceId = traceId,
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes(n + 1)),
            Name = "memory-load span",
            Kind = Span.Types.SpanKind.Internal,
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + 1_000_000,
        };
        for (var a = 0; a < attributes; a++)
        {
            var value = string.Create(attributeLength, (n, a), (chars, state) => chars.Fill((char)('a' + ((state.n + state.a) % 26))));
            span.Attributes.Add(new KeyValue { Key = $"load.attribute.{a}", Value = new AnyValue { StringValue = value } });
        }

        return span;
    }

    private static ByteString TraceId(int n) => ByteString.CopyFrom([.. BitConverter.GetBytes((long)n + 1), .. BitConverter.GetBytes(0x5bd1e995L)]);

    // OTLP/JSON writes trace and span ids as hex where the protobuf JSON mapping writes base64.
    private static byte[] OtlpJson(ExportTraceServiceRequest request)
    {
        foreach (var span in request.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans))
        {
            span.TraceId = ByteString.CopyFrom(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(span.TraceId.Span)));
            span.SpanId = ByteString.CopyFrom(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(span.SpanId.Span)));
        }

        var json = JsonFormatter.Default.Format(request);
        // The ids now hold their hex text as bytes; the mapping base64-encodes those bytes, so decode them back to the text.
        return System.Text.Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(json, "\"(traceId|spanId)\": \"([^\"]*)\"",
            m => $"\"{m.Groups[1].Value}\": \"{System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(m.Groups[2].Value))}\""));
    }

    private static Method<byte[], byte[]> RawMethod(string service) =>
        new(MethodType.Unary, service, "Export", Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(bytes => bytes, bytes => bytes));

    /// <summary>The insights on free loopback ports: the executable as its own process, or started in this one.</summary>
    private sealed class Insights : IAsyncDisposable
    {
        private readonly ServerProcess? process;
        private readonly InsightsHost? inProcess;
        private readonly GrpcChannel channel;

        private Insights(ServerProcess? process, InsightsHost? inProcess, Uri frontend, Uri otlpGrpc, Uri otlpHttp)
        {
            this.process = process;
            this.inProcess = inProcess;
            OtlpHttpUrl = otlpHttp;
            Http = new HttpClient { BaseAddress = frontend, Timeout = TimeSpan.FromSeconds(30) };
            channel = GrpcChannel.ForAddress(otlpGrpc, new GrpcChannelOptions { MaxSendMessageSize = null });
        }

        public HttpClient Http { get; }
        public Uri OtlpHttpUrl { get; }

        public static async Task<Insights> StartAsync(string dll)
        {
            var frontend = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var otlpGrpc = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var otlpHttp = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var process = await ServerProcess.StartAsync(Launch.Built(dll, [$"--urls={frontend}", $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={otlpGrpc}",
                $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL={otlpHttp}", "--Logging:LogLevel:Default=Warning"]),
                new Uri(frontend, "/api/status"), HttpVersion.Version11, TimeSpan.FromSeconds(60));
            return new Insights(process, null, frontend, otlpGrpc, otlpHttp);
        }

        public static async Task<Insights> InProcessAsync()
        {
            var insights = await InsightsHost.StartAsync();
            return new Insights(null, insights, insights.FrontendUrl, insights.OtlpGrpcUrl, insights.OtlpHttpUrl);
        }

        public async Task ExportAsync(Method<byte[], byte[]> method, byte[] body)
        {
            var call = channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60)), body);
            await call.ResponseAsync;
        }

        /// <summary>VmRSS (resident now) or VmHWM (the peak) of the insights process, in MiB.</summary>
        public double ResidentMegabytes(string field) => process!.ResidentMiB(field);

        public async ValueTask DisposeAsync()
        {
            channel.Dispose();
            Http.Dispose();
            if (process is not null)
            {
                await process.DisposeAsync();
            }

            if (inProcess is not null)
            {
                await inProcess.DisposeAsync();
            }
        }
    }
}
