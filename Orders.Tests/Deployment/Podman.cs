using System.Text.Json;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Deployment;

/// <summary>The podman CLI as the container tests drive it: rootful, with this machine type's settings, bounded in time.</summary>
public static class Podman
{
    /// <summary>Podman's settings for this machine type (deploy/podman), for every podman and podman-compose the tests run.</summary>
    public static readonly string ContainersConf = Path.Combine(RepositoryPaths.Root, "deploy", "podman", "containers.conf");

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static Task<CommandResult> RunAsync(params string[] arguments) =>
        ExternalCommand.RunAsync("podman", arguments, Timeout, new Dictionary<string, string?> { ["CONTAINERS_CONF"] = ContainersConf });

    /// <summary>podman inspect of one container, as JSON.</summary>
    public static async Task<JsonElement> InspectAsync(string container)
    {
        var json = (await RunAsync("inspect", container)).EnsureSuccess().Stdout;
        return JsonDocument.Parse(json).RootElement[0].Clone();
    }

    /// <summary>Runs a container's healthcheck now (podman schedules them through systemd, which this machine lacks).</summary>
    public static async Task<bool> IsHealthyAsync(string container) =>
        (await RunAsync("healthcheck", "run", container)).ExitCode == 0;

    /// <summary>The loopback host port a container's <paramref name="containerPort"/> is published on.</summary>
    public static async Task<int> HostPortAsync(string container, int containerPort)
    {
        var port = (await RunAsync("port", container, $"{containerPort}/tcp")).EnsureSuccess().Stdout.Trim();
        return int.Parse(port[(port.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
