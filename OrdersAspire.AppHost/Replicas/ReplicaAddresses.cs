using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrdersAspire.AppHost.Health;

namespace OrdersAspire.AppHost.Replicas;

/// <summary>
/// The address each running replica of a project listens on, behind DCP's proxy: the port DCP handed it in its
/// ASPNETCORE_URLS, as the replica's resource snapshot (its environment on the Resources page) shows it. A replica
/// restarted from the dashboard comes back on the same port.
/// </summary>
internal sealed class ReplicaAddresses
{
    private const string UrlsVariable = "ASPNETCORE_URLS";

    private readonly ConcurrentDictionary<string, Uri> byReplica = new();

    /// <summary>Follows <paramref name="project"/>'s replicas from the app's start to its stop.</summary>
    public static ReplicaAddresses Follow(IDistributedApplicationBuilder builder, IResource project)
    {
        var addresses = new ReplicaAddresses();
        builder.Eventing.Subscribe<BeforeStartEvent>((e, cancellationToken) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(() => addresses.FollowAsync(notifications, project, stopping), CancellationToken.None);
            return Task.CompletedTask;
        });
        return addresses;
    }

    /// <summary>One address per running replica, ordered by replica name (stable for as long as the replicas run).</summary>
    public IReadOnlyList<Uri> Running() => [.. byReplica.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)];

    private async Task FollowAsync(ResourceNotificationService notifications, IResource project, CancellationToken stopping)
    {
        try
        {
            // Replays every resource's current snapshot first, then each update as it happens.
            await foreach (var update in notifications.WatchAsync(stopping))
            {
                if (update.Resource != project)
                {
                    continue;
                }

                if (update.Snapshot.State?.Text == KnownResourceStates.Running && OwnAddress(update.Snapshot) is { } address)
                {
                    byReplica[update.ResourceId] = address;
                }
                else
                {
                    byReplica.TryRemove(update.ResourceId, out _);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The first http:// URL of the replica's ASPNETCORE_URLS once DCP has filled in its port, leaving out the port it
    /// serves its health page on over HTTP/1.1 (a gRPC client cannot use it); null before.
    /// </summary>
    private static Uri? OwnAddress(CustomResourceSnapshot snapshot)
    {
        string? Variable(string name) => snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == name)?.Value;
        var http1Port = Variable(HealthPageExtensions.Http1PortVariable);
        return Variable(UrlsVariable)?
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null)
            .Where(uri => uri is { Scheme: "http", Port: > 0 } && $"{uri.Port}" != http1Port)
            // DCP writes localhost; the replica listens on the IPv4 loopback too, and 127.0.0.1 is what the client's spans then name.
            .Select(uri => uri!.IsLoopback ? new UriBuilder(uri) { Host = "127.0.0.1" }.Uri : uri)
            .FirstOrDefault();
    }
}
