using OrdersAspire.AppHost.Hosting.ApplicationModel;

namespace OrdersAspire.AppHost.Hosting;

/// <summary>The With* vocabulary of Aspire's app model, for project resources.</summary>
public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(this IResourceBuilder<ProjectResource> builder)
    {
        builder.Resource.HasHttpEndpoint = true;
        return builder;
    }

    /// <summary>The resource counts as Running only once GET {path} answers 2xx (HTTP/2 prior knowledge).</summary>
    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path = "/health")
    {
        builder.Resource.HasHttpEndpoint = true;
        builder.Resource.HealthCheckPath = path;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, string value)
    {
        builder.Resource.Environment[name] = value;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithArgs(this IResourceBuilder<ProjectResource> builder, params string[] args)
    {
        foreach (var arg in args)
        {
            builder.Resource.Args.Add(arg);
        }

        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> service)
    {
        builder.Resource.References.Add(service.Resource);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResourceWithConnectionString> connection)
    {
        builder.Resource.Environment[$"ConnectionStrings__{connection.Resource.Name}"] = connection.Resource.ConnectionString;
        return builder;
    }

    /// <summary>
    /// Starts the project only once <paramref name="dependency"/> is Running: a process resource itself, a database once
    /// its server accepts logins and has created it. A SQLite file has no process and is ready at once.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WaitFor(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResource> dependency)
    {
        switch (dependency.Resource)
        {
            case ProcessResource process:
                builder.Resource.WaitsFor.Add(process);
                break;
            case PostgresDatabaseResource database:
                builder.Resource.WaitsFor.Add(database.Server);
                break;
            case ConnectionStringResource:
                break;
            default:
                throw new NotSupportedException($"Cannot wait for {dependency.Resource.GetType().Name} '{dependency.Resource.Name}'.");
        }

        return builder;
    }
}
