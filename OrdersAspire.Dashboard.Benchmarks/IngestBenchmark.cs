using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrdersAspire.Dashboard.Otlp;

namespace OrdersAspire.Dashboard.Benchmarks;

/// <summary>Spans per second the dashboard ingests over OTLP/gRPC: concurrent exporters sending 512-span batches (the SDK's default batch size).</summary>
internal static class IngestBenchmark
{
    private const int SpansPerBatch = 512;
    private static readonly Method<byte[], byte[]> s_export = new(
        MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export",
        Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(bytes => bytes, bytes => bytes));

    public static async Task<double> SpansPerSecondAsync(BenchmarkDashboard dashboard, int exporters, int batchesPerExporter)
    {
        // Distinct spans in every batch, serialized up front: the clock measures the dashboard, not the sender.
        var batches = Enumerable.Range(0, exporters * batchesPerExporter)
            .Select(_ => SampleTelemetry.Traces(SpansPerBatch / 2).ToByteArray())
            .ToArray();
        using var channel = GrpcChannel.ForAddress(dashboard.OtlpGrpcUrl);
        var invoker = channel.CreateCallInvoker();
        foreach (var warmup in Enumerable.Range(0, 5).Select(_ => SampleTelemetry.Traces(SpansPerBatch / 2).ToByteArray()))
        {
            await invoker.AsyncUnaryCall(s_export, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), warmup);
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, exporters).Select(async exporter =>
        {
            for (var i = 0; i < batchesPerExporter; i++)
            {
                await invoker.AsyncUnaryCall(s_export, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), batches[(exporter * batchesPerExporter) + i]);
            }
        }));
        clock.Stop();
        return batches.Length * (double)SpansPerBatch / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The same batches parsed and stored without the network: what the receiver's own work costs.</summary>
    public static double InProcessSpansPerSecond(BenchmarkDashboard dashboard, int batchCount)
    {
        var batches = Enumerable.Range(0, batchCount).Select(_ => SampleTelemetry.Traces(SpansPerBatch / 2).ToByteArray()).ToArray();
        var ingestor = dashboard.Service<OtlpIngestor>();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            ingestor.Export(ExportTraceServiceRequest.Parser.ParseFrom(batch));
        }

        return batches.Length * (double)SpansPerBatch / clock.Elapsed.TotalSeconds;
    }
}
