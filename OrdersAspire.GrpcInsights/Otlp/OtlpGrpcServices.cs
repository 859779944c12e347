using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>OTLP/gRPC opentelemetry.proto.collector.trace.v1.TraceService.</summary>
public sealed class OtlpTraceService(OtlpIngestor ingestor) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingestor.Export(request));
}

/// <summary>OTLP/gRPC opentelemetry.proto.collector.logs.v1.LogsService.</summary>
public sealed class OtlpLogsService : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(OtlpIngestor.Export(request));
}

/// <summary>OTLP/gRPC opentelemetry.proto.collector.metrics.v1.MetricsService.</summary>
public sealed class OtlpMetricsService : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(OtlpIngestor.Export(request));
}
