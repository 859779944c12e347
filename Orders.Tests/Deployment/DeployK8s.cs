using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Deployment;

/// <summary>deploy/k8s rendered offline by <c>kubectl kustomize</c>, and checked by its schema validator (deploy/k8s/validate).</summary>
public static class DeployK8s
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Root { get; } = Path.Combine(RepositoryPaths.Root, "deploy", "k8s");

    /// <summary>The YAML that <c>kubectl kustomize deploy/k8s/<paramref name="directory"/></c> prints, e.g. <c>overlays/dev</c>.</summary>
    public static async Task<string> RenderAsync(string directory)
    {
        var run = await ExternalCommand.RunAsync("kubectl", ["kustomize", Path.Combine(Root, directory)], Timeout);
        Assert.True(run.ExitCode == 0, $"kubectl kustomize {directory}: {run}");
        return run.Stdout;
    }

    /// <summary>Validates multi-document YAML (JSON documents are YAML too) against the Kubernetes schemas.</summary>
    public static Task<CommandResult> ValidateAsync(string yaml)
    {
        var validator = Path.Combine(Root, "validate");
        Assert.True(Directory.Exists(Path.Combine(validator, "node_modules")),
            $"{validator}/node_modules is missing: install-prerequisites.sh runs npm ci there.");
        return ExternalCommand.RunAsync("node", [Path.Combine(validator, "validate.mjs")], Timeout, stdin: yaml);
    }
}
