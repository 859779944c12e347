using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Otlp;
using OrdersAspire.GrpcInsights.Store;

namespace OrdersAspire.GrpcInsights.Benchmarks;

/// <summary>
/// Managed memory held by the trace store filled to its default limit, beside the store's own estimate of it (what
/// MaxStoreBytes bounds) — and, to show the bound, filled twice over.
/// </summary>
internal static class MemoryBenchmark
{
    public static (double FullMegabytes, double EstimatedMegabytes, double TwiceOverMegabytes) Measure()
    {
        var limits = new TelemetryLimitOptions();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var store = new TelemetryStore(limits);
        var converter = new OtlpConverter(limits, store.Drops);
        var ingestor = new OtlpIngestor(store, converter);

        Fill(ingestor, limits);
        // Views are built lazily; build them as a browsing user would, so they count too.
        store.Traces.Query(new TraceQuery(Limit: limits.MaxTraceCount));
        var full = GC.GetTotalMemory(forceFullCollection: true) - before;
        var estimated = store.Traces.Bytes;

        Fill(ingestor, limits);
        store.Traces.Query(new TraceQuery(Limit: limits.MaxTraceCount));
        var twiceOver = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(store);
        return (full / 1024.0 / 1024.0, estimated / 1024.0 / 1024.0, twiceOver / 1024.0 / 1024.0);
    }

    private static void Fill(OtlpIngestor ingestor, TelemetryLimitOptions limits)
    {
        for (var i = 0; i < limits.MaxTraceCount; i += 500)
        {
            // Parsed from bytes as the receiver gets them: every text a string of its own, as off the wire.
            ingestor.Export(ExportTraceServiceRequest.Parser.ParseFrom(SampleTelemetry.Traces(500).ToByteArray()));
        }
    }
}
