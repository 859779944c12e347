using System.IO.Compression;
using Grpc.AspNetCore.Server.Model;
using Grpc.Net.Compression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.Shared.GrpcFrames;

namespace OrdersAspire.GrpcInsights.Otlp;

internal static class OtlpGrpcRegistration
{
    /// <summary>
    /// Adds gRPC with the three OTLP services bound through <see cref="OtlpExportMethodProvider{TService, TRequest, TResponse}"/>
    /// and the <see cref="GrpcFrameRules"/> of <see cref="OtlpGrpcFrameMiddleware"/>, by the same size limit and encodings.
    /// </summary>
    public static void AddOtlpGrpc(this IServiceCollection services, int maxReceiveMessageSize)
    {
        IList<ICompressionProvider> compressionProviders =
            [new GzipCompressionProvider(CompressionLevel.Fastest), new DeflateCompressionProvider(CompressionLevel.Fastest)];
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = maxReceiveMessageSize;
            grpc.CompressionProviders = compressionProviders;
        });
        services.AddSingleton(new GrpcFrameRules(maxReceiveMessageSize, OtlpOptions.MaxRequestBodySizeSetting, compressionProviders));
        // The insights serve no other gRPC service, so the generated bindings are replaced wholesale by the strict ones.
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.AddSingleton<IServiceMethodProvider<OtlpTraceService>>(new OtlpExportMethodProvider<OtlpTraceService, ExportTraceServiceRequest, ExportTraceServiceResponse>(
            TraceService.Descriptor.FullName, ExportTraceServiceRequest.Parser, (service, request, context) => service.Export(request, context)));
        services.AddSingleton<IServiceMethodProvider<OtlpLogsService>>(new OtlpExportMethodProvider<OtlpLogsService, ExportLogsServiceRequest, ExportLogsServiceResponse>(
            LogsService.Descriptor.FullName, ExportLogsServiceRequest.Parser, (service, request, context) => service.Export(request, context)));
        services.AddSingleton<IServiceMethodProvider<OtlpMetricsService>>(new OtlpExportMethodProvider<OtlpMetricsService, ExportMetricsServiceRequest, ExportMetricsServiceResponse>(
            MetricsService.Descriptor.FullName, ExportMetricsServiceRequest.Parser, (service, request, context) => service.Export(request, context)));
    }
}
