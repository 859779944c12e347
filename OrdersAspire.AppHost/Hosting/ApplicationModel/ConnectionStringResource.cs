namespace OrdersAspire.AppHost.Hosting.ApplicationModel;

/// <summary>A named connection string with no process behind it (a SQLite file), handed to referencing projects as ConnectionStrings__{name}.</summary>
public sealed class ConnectionStringResource(string name, string connectionString) : IResourceWithConnectionString
{
    public string Name => name;

    public string ConnectionString => connectionString;
}
