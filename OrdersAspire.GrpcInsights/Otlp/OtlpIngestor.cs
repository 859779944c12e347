using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrdersAspire.GrpcInsights.Store;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>Stores one OTLP export request, whichever transport brought it, and answers with OTLP's partial-success reply.</summary>
public sealed class OtlpIngestor(TelemetryStore store, OtlpConverter converter)
{
    public ExportTraceServiceResponse Export(ExportTraceServiceRequest request)
    {
        // Sized once: an export carries up to the exporter's batch (512 spans by default).
        var spans = new List<SpanData>(request.ResourceSpans.Sum(resource => resource.ScopeSpans.Sum(scope => scope.Spans.Count)));
        long rejected = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = converter.Resource(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    if (converter.Span(resource, scopeSpans.Scope?.Name ?? "", span) is { } data)
                    {
                        spans.Add(data);
                    }
                    else
                    {
                        rejected++;
                    }
                }
            }
        }

        store.AddSpans(spans);
        return rejected == 0
            ? new ExportTraceServiceResponse()
            : new ExportTraceServiceResponse
            {
                PartialSuccess = new ExportTracePartialSuccess
                {
                    RejectedSpans = rejected,
                    ErrorMessage = "Spans need a 16-byte trace_id and an 8-byte span_id that are not all zeroes.",
                },
            };
    }

    /// <summary>
    /// Logs and metrics are Aspire's dashboard's business: they are accepted (a service whose OTLP exporter points
    /// here sends all three signals and must not see failures) and dropped.
    /// </summary>
    public static ExportLogsServiceResponse Export(ExportLogsServiceRequest request) => new();

    /// <inheritdoc cref="Export(ExportLogsServiceRequest)"/>
    public static ExportMetricsServiceResponse Export(ExportMetricsServiceRequest request) => new();
}
