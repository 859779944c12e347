namespace OrdersAspire.AppHost.Hosting.ApplicationModel;

/// <summary>A database on a <see cref="PostgresServerResource"/>; waiting for it waits for its server.</summary>
public sealed class PostgresDatabaseResource(string name, PostgresServerResource server) : IResourceWithConnectionString
{
    public string Name => name;

    public PostgresServerResource Server => server;

    public string ConnectionString => server.ConnectionString(name);
}
