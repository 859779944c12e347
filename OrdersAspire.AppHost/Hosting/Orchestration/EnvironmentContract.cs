using OrdersAspire.AppHost.Hosting.ApplicationModel;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>
/// The environment Aspire's AppHost gives a project in run mode (DESIGN.md §6), so a service written for Aspire runs
/// here unchanged. A null value removes a variable the AppHost itself was started with.
/// </summary>
internal static class EnvironmentContract
{
    public static Dictionary<string, string?> For(ResourceReplica replica, IReadOnlyDictionary<ProjectResource, IReadOnlyList<Uri>> endpoints,
        AppHostOptions options, bool isDevelopment)
    {
        var resource = (ProjectResource)replica.Resource;
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "true",
            ["LOGGING__CONSOLE__FORMATTERNAME"] = "simple",
            // The AppHost's own ASPNETCORE_URLS is the dashboard's; a child only listens where it is told to.
            ["ASPNETCORE_URLS"] = replica.Endpoint?.ToString().TrimEnd('/'),
        };

        if (LaunchProfile.Read(resource.Project.ProjectPath) is { } profile)
        {
            foreach (var (name, value) in profile.Environment)
            {
                environment[name] = value;
            }

            environment["DOTNET_LAUNCH_PROFILE"] = profile.Name;
        }

        if (resource.ExportsTelemetry)
        {
            AddTelemetry(environment, replica, options, isDevelopment);
        }

        foreach (var reference in resource.References)
        {
            var urls = endpoints[reference];
            for (var index = 0; index < urls.Count; index++)
            {
                environment[$"services__{reference.Name}__{urls[index].Scheme}__{index}"] = urls[index].ToString().TrimEnd('/');
            }
        }

        foreach (var (name, value) in resource.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static void AddTelemetry(Dictionary<string, string?> environment, ResourceReplica replica, AppHostOptions options, bool isDevelopment)
    {
        environment["OTEL_SERVICE_NAME"] = replica.Resource.Name;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={replica.Id}";
        environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
        if (options.OtlpEndpoint is { } endpoint)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        }

        if (options.ServiceOtlpApiKey is { } key)
        {
            environment["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={key}";
        }

        if (isDevelopment)
        {
            // Telemetry shows up within about a second instead of the SDK defaults of 5 s (traces, logs) and 60 s (metrics).
            environment["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            environment["OTEL_TRACES_SAMPLER"] = "always_on";
        }
    }
}
