namespace OrdersAspire.AppHost.Replicas;

internal static class ReplicaAddressesExtensions
{
    /// <summary>
    /// Gives <paramref name="client"/> every running replica's own address as the service discovery endpoints of
    /// <paramref name="service"/>'s <c>http</c> endpoint (<c>services__orders-api__http__0</c>, <c>__1</c>, …) in place of
    /// the one address of DCP's proxy that <c>WithReference</c> gives. DCP's proxy picks a replica per TCP connection and a
    /// gRPC client keeps one connection, so all its calls would reach one replica; Orders.Client instead opens a
    /// connection to each address and sends its calls round robin over those that answer. Call after
    /// <c>WithReference(service)</c>; in publish mode, and while no replica runs, the proxy's address stays.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEveryReplicaAddressOf(
        this IResourceBuilder<ProjectResource> client, IResourceBuilder<ProjectResource> service)
    {
        var replicas = ReplicaAddresses.Follow(client.ApplicationBuilder, service.Resource);
        var prefix = $"services__{service.Resource.Name}__http__";
        return client.WithEnvironment(context =>
        {
            // Evaluated each time the client starts: after WaitFor(service), so every replica is running and healthy.
            if (!context.ExecutionContext.IsRunMode || replicas.Running() is not { Count: > 0 } addresses)
            {
                return;
            }

            foreach (var key in context.EnvironmentVariables.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                context.EnvironmentVariables.Remove(key);
            }

            for (var i = 0; i < addresses.Count; i++)
            {
                context.EnvironmentVariables[$"{prefix}{i}"] = addresses[i].GetLeftPart(UriPartial.Authority);
            }
        });
    }
}
