namespace OrdersAspire.AppHost.Hosting.ApplicationModel;

/// <summary>A .NET project started as one child process per replica from its build output.</summary>
public sealed class ProjectResource(string name, IProjectMetadata project) : ProcessResource(name)
{
    public IProjectMetadata Project => project;

    public override string ResourceType => "Project";

    /// <summary>True when the project serves HTTP (h2c for gRPC); each replica then gets a free loopback port.</summary>
    public bool HasHttpEndpoint { get; internal set; }

    public string? HealthCheckPath { get; internal set; }

    public IList<string> Args { get; } = [];

    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Projects whose endpoints this one discovers (services__name__http__N).</summary>
    public IList<ProjectResource> References { get; } = [];

    /// <summary>The dashboard is a resource like any other but gets no telemetry exporter settings of its own.</summary>
    internal bool ExportsTelemetry { get; init; } = true;
}
