using System.Globalization;

namespace Orders.Api.Benchmarks;

/// <summary>The settings of a server that exports its telemetry over OTLP/gRPC, as every service does under the AppHost.</summary>
internal static class OtlpExport
{
    /// <summary>
    /// The sampler ratio of the load-test rows (docs/telemetry.md): at the getOrder rates of this machine (10–30k calls/s)
    /// one trace in a hundred is a few hundred spans a second, under what the Aspire dashboard ingests (~1.2–1.5k spans/s),
    /// and still hundreds of traces per run to read latencies and errors from.
    /// </summary>
    public const double LoadTestRatio = 0.01;

    /// <summary>Logs, traces and metrics to <paramref name="otlpGrpc"/>, flushed every second; every trace kept, or one in 1/<paramref name="ratio"/>.</summary>
    public static Dictionary<string, string> To(Uri otlpGrpc, double ratio, string serviceName = "orders-api")
    {
        var settings = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpGrpc.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_SERVICE_NAME"] = serviceName,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_TRACES_SAMPLER"] = "always_on",
        };
        if (ratio < 1)
        {
            settings["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio";
            settings["OTEL_TRACES_SAMPLER_ARG"] = ratio.ToString(CultureInfo.InvariantCulture);
        }

        return settings;
    }

    public static string Describe(double ratio) =>
        ratio < 1 ? string.Create(CultureInfo.InvariantCulture, $"parentbased_traceidratio {ratio}") : "always_on";
}
