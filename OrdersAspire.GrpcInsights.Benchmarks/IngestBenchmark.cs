using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrdersAspire.GrpcInsights.Otlp;
using OrdersAspire.TestHarness;

namespace OrdersAspire.GrpcInsights.Benchmarks;

/// <summary>Spans per second the insights ingest over OTLP/gRPC: concurrent exporters sending 512-span batches (the SDK's default batch size).</summary>
internal static partial class IngestBenchmark
{
    private const int SpansPerBatch = 512;
    private static readonly Method<byte[], byte[]> SampleExport = new(
        MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export",
        Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(bytes => bytes, bytes => bytes));

    public static async Task<double> SpansPerSecondAsync(InsightsHost insights, int exporters, int batchesPerExporter)
    {
        using var channel = GrpcChannel.ForAddress(insights.OtlpGrpcUrl);
        var invoker = channel.CreateCallInvoker();
        return await SendAllAsync(exporters, batchesPerExporter, request => request.ToByteArray(),
            batch => invoker.AsyncUnaryCall(SampleExport, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), batch).ResponseAsync);
    }

    /// <summary>The same over OTLP/HTTP, with binary protobuf or with OTLP/JSON bodies (hex ids, as browser SDKs send).</summary>
    public static async Task<double> HttpSpansPerSecondAsync(InsightsHost insights, bool json, int exporters, int batchesPerExporter)
    {
        using var http = new HttpClient { BaseAddress = insights.OtlpHttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        var mediaType = json ? "application/json" : "application/x-protobuf";
        return await SendAllAsync(exporters, batchesPerExporter, request => json ? OtlpJson(request) : request.ToByteArray(), async batch =>
        {
            using var content = new ByteArrayContent(batch);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
            using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
        });
    }

    private static async Task<double> SendAllAsync(int exporters, int batchesPerExporter, Func<ExportTraceServiceRequest, byte[]> encode, Func<byte[], Task> send)
    {
        // Distinct spans in every batch, encoded up front: the clock measures the insights, not the sender.
        var batches = Enumerable.Range(0, exporters * batchesPerExporter).Select(_ => encode(SampleTelemetry.Traces(SpansPerBatch / 2))).ToArray();
        foreach (var warmup in Enumerable.Range(0, 5).Select(_ => encode(SampleTelemetry.Traces(SpansPerBatch / 2))))
        {
            await send(warmup);
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, exporters).Select(async exporter =>
        {
            for (var i = 0; i < batchesPerExporter; i++)
            {
                await send(batches[(exporter * batchesPerExporter) + i]);
            }
        }));
        clock.Stop();
        return batches.Length * (double)SpansPerBatch / clock.Elapsed.TotalSeconds;
    }

    // The protobuf JSON mapping writes bytes as base64; OTLP/JSON writes trace and span ids as hex.
    private static byte[] OtlpJson(ExportTraceServiceRequest request) =>
        System.Text.Encoding.UTF8.GetBytes(IdField().Replace(JsonFormatter.Default.Format(request),
            m => $"\"{m.Groups[1].Value}\": \"{Convert.ToHexStringLower(Convert.FromBase64String(m.Groups[2].Value))}\""));

    [System.Text.RegularExpressions.GeneratedRegex("\"(traceId|spanId|parentSpanId)\": \"([^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex IdField();

    /// <summary>The same batches parsed and stored without the network: what the receiver's own work costs.</summary>
    public static double InProcessSpansPerSecond(InsightsHost insights, int batchCount)
    {
        var batches = Enumerable.Range(0, batchCount).Select(_ => SampleTelemetry.Traces(SpansPerBatch / 2).ToByteArray()).ToArray();
        var ingestor = insights.Services.GetRequiredService<OtlpIngestor>();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            ingestor.Export(ExportTraceServiceRequest.Parser.ParseFrom(batch));
        }

        return batches.Length * (double)SpansPerBatch / clock.Elapsed.TotalSeconds;
    }
}
