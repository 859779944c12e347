using System.IO.Compression;
using Grpc.AspNetCore.Server.Model;
using Grpc.Net.Compression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace OrdersAspire.GrpcInsights.Otlp;

internal static class OtlpGrpcRegistration
{
    /// <summary>
    /// Adds gRPC with the three OTLP services bound through <see cref="OtlpExportMethodProvider{TService, TRequest, TResponse}"/>
    /// and decompression bounded by the same size limit.
    /// </summary>
    public static void AddOtlpGrpc(this IServiceCollection services, int maxReceiveMessageSize)
    {
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = maxReceiveMessageSize;
            grpc.CompressionProviders =
            [
                new BoundedDecompression(new GzipCompressionProvider(CompressionLevel.Fastest), maxReceiveMessageSize),
                new BoundedDecompression(new DeflateCompressionProvider(CompressionLevel.Fastest), maxReceiveMessageSize),
            ];
        });
        // The dashboard serves no other gRPC service, so the generated bindings are replaced wholesale by the strict ones.
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.AddSingleton<IServiceMethodProvider<OtlpTraceService>>(new OtlpExportMethodProvider<OtlpTraceService, ExportTraceServiceRequest, ExportTraceServiceResponse>(
            TraceService.Descriptor.FullName, ExportTraceServiceRequest.Parser, (service, request, context) => service.Export(request, context)));
        services.AddSingleton<IServiceMethodProvider<OtlpLogsService>>(new OtlpExportMethodProvider<OtlpLogsService, ExportLogsServiceRequest, ExportLogsServiceResponse>(
            LogsService.Descriptor.FullName, ExportLogsServiceRequest.Parser, (service, request, context) => service.Export(request, context)));
        services.AddSingleton<IServiceMethodProvider<OtlpMetricsService>>(new OtlpExportMethodProvider<OtlpMetricsService, ExportMetricsServiceRequest, ExportMetricsServiceResponse>(
            MetricsService.Descriptor.FullName, ExportMetricsServiceRequest.Parser, (service, request, context) => service.Export(request, context)));
    }
}
