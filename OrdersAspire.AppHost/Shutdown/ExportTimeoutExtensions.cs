namespace OrdersAspire.AppHost.Shutdown;

internal static class ExportTimeoutExtensions
{
    // Ample for a batch to the dashboard on loopback; the OpenTelemetry default is 10 s.
    private const string ExportTimeoutMilliseconds = "3000";

    /// <summary>
    /// DCP stops every resource at once on SIGTERM: the dashboard is gone within a second, while DCP's proxy in front of
    /// its OTLP endpoint still accepts connections. A service's last export (its traces, metrics and logs, one after
    /// another) then waits out the OTLP exporter's timeout, which kept orders-api alive more than 10 s after SIGTERM.
    /// Run mode only: a deployment's collector is not stopped with the services.
    /// </summary>
    public static IDistributedApplicationBuilder WithShortOtlpExportTimeout(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                    context.EnvironmentVariables.TryAdd("OTEL_EXPORTER_OTLP_TIMEOUT", ExportTimeoutMilliseconds)));
            }

            return Task.CompletedTask;
        });
        return builder;
    }
}
