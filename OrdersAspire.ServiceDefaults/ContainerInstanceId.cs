using Microsoft.Extensions.Configuration;
using OpenTelemetry.Resources;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Replicas in containers (Compose, Kubernetes) are told apart in the dashboard by their host name, the container's
/// id or the pod's name, as service.instance.id; whoever starts a process and names its instance (Aspire does) wins.
/// </summary>
public static class ContainerInstanceId
{
    public const string Attribute = "service.instance.id";

    public static ResourceBuilder AddContainerInstanceId(this ResourceBuilder resource, IConfiguration configuration) =>
        configuration.GetValue<bool>("DOTNET_RUNNING_IN_CONTAINER") && !NamesInstance(configuration["OTEL_RESOURCE_ATTRIBUTES"])
            ? resource.AddAttributes([new(Attribute, Environment.MachineName)])
            : resource;

    private static bool NamesInstance(string? resourceAttributes) =>
        resourceAttributes?.Split(',').Any(pair => pair.Split('=', 2)[0].Trim() == Attribute) ?? false;
}
