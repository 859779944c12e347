using System.Diagnostics;
using OrdersAspire.AppHost.Hosting.ApplicationModel;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>A .NET project replica: its build output under dotnet, ready once its health path answers, stopped with SIGTERM.</summary>
internal sealed class ProjectRunner(ProjectResource resource, Uri? endpoint, ProcessLauncher launcher) : IReplicaRunner
{
    public StopSignal StopSignal => StopSignal.SigTerm;

    public Func<CancellationToken, Task<bool>>? ReadinessCheck =>
        resource.HealthCheckPath is { } path && endpoint is not null ? cancellationToken => HealthProbe.IsHealthyAsync(endpoint, path, cancellationToken) : null;

    public Task<Process> StartAsync(IReadOnlyDictionary<string, string?> environment, Action<string, bool> onLine) =>
        File.Exists(resource.Project.AssemblyPath)
            ? launcher.StartDotnetAsync([resource.Project.AssemblyPath, .. resource.Args], Path.GetDirectoryName(resource.Project.ProjectPath)!, environment, onLine)
            : throw new ResourceStartException($"{resource.Project.AssemblyPath} not found — build {Path.GetFileName(resource.Project.ProjectPath)} first.");
}
