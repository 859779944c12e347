using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrdersAspire.Shared;

namespace Microsoft.Extensions.Hosting;

// Aspire's ServiceDefaults shape: every service calls AddServiceDefaults() and gets the same
// telemetry, health, discovery and resilience wiring — driven by the env the AppHost injects.
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddContainerInstanceId(builder.Configuration))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(RpcSemanticConventions.OrdersSourcesWildcard))
            .WithTracing(tracing => tracing
                // First, so every exporter sees the enriched client span and the trimmed server span (docs/telemetry.md, "Spans of one call").
                .AddProcessor<GrpcClientSpanEnricher>()
                .AddProcessor<GrpcServerSpanTrimmer>()
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(RpcSemanticConventions.OrdersSourcesWildcard)
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Probes hit the health endpoints every few seconds; their spans would drown the calls that matter.
                    options.Filter = context => !HealthEndpoints.IsProbe(context.Request);
                    // A gRPC call's request span is the call's server span (docs/telemetry.md, "Spans of one call").
                    options.EnrichWithHttpResponse = (span, _) => GrpcServerSpanName.Restore(span);
                })
                // The gRPC client span is the call; the HttpClient span under it would repeat it as "POST".
                .AddGrpcClientInstrumentation(options => options.SuppressDownstreamInstrumentation = true)
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // The AppHost (ours or Aspire's) injects OTEL_EXPORTER_OTLP_ENDPOINT; without it nothing is exported.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpoints.LiveTag]);

        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // All registered checks must pass for readiness; only the "live" ones for liveness.
        app.MapHealthChecks(HealthEndpoints.HealthPath);
        app.MapHealthChecks(HealthEndpoints.AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthEndpoints.LiveTag) });

        return app;
    }
}
