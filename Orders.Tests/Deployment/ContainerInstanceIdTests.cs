using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Orders.Tests.Deployment;

/// <summary>ServiceDefaults names a containerized replica's instance by its host name, unless the instance is already named.</summary>
public sealed class ContainerInstanceIdTests
{
    [Fact]
    public void InAContainerTheInstanceIsTheHostName() =>
        Assert.Equal(Environment.MachineName, InstanceId(new() { ["DOTNET_RUNNING_IN_CONTAINER"] = "true" }));

    [Fact]
    public void AnInstanceNamedByWhoeverStartedTheProcessWins() =>
        Assert.Equal("orders-api-x7k2", InstanceId(new()
        {
            ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=dev, service.instance.id=orders-api-x7k2",
        }));

    [Fact]
    public void OtherResourceAttributesDoNotNameTheInstance() =>
        Assert.Equal(Environment.MachineName, InstanceId(new()
        {
            ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=dev,service.version=1.0",
        }));

    [Fact]
    public void OutsideAContainerNothingIsAdded() =>
        Assert.Null(InstanceId([]));

    private static string? InstanceId(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var resource = host.Services.GetRequiredService<TracerProvider>().GetResource();
        return resource.Attributes.FirstOrDefault(a => a.Key == ContainerInstanceId.Attribute).Value as string;
    }
}
