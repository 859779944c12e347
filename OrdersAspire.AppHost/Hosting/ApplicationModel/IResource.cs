using OrdersAspire.AppHost.Hosting;

namespace OrdersAspire.AppHost.Hosting.ApplicationModel;

/// <summary>Anything the app model declares by name: a project, a connection string.</summary>
public interface IResource
{
    string Name { get; }
}

/// <summary>A declared resource plus the builder it belongs to, so With* calls chain as in Aspire.</summary>
public interface IResourceBuilder<out T> where T : IResource
{
    T Resource { get; }

    DistributedApplicationBuilder ApplicationBuilder { get; }
}

internal sealed class ResourceBuilder<T>(T resource, DistributedApplicationBuilder applicationBuilder) : IResourceBuilder<T>
    where T : IResource
{
    public T Resource => resource;

    public DistributedApplicationBuilder ApplicationBuilder => applicationBuilder;
}
