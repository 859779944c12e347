namespace OrdersAspire.AppHost.Hosting.ApplicationModel;

/// <summary>A resource the AppHost runs as child processes: a .NET project, or an executable such as PostgreSQL.</summary>
public abstract class ProcessResource(string name) : IResource
{
    public string Name => name;

    public int Replicas { get; internal set; } = 1;

    /// <summary>Resources that must be Running (healthy, when they have a check) before this one starts.</summary>
    public IList<ProcessResource> WaitsFor { get; } = [];

    /// <summary>The type the dashboard shows, as Aspire names them: "Project", "Executable".</summary>
    public abstract string ResourceType { get; }
}
