namespace OrdersAspire.AppHost.Hosting.ApplicationModel;

/// <summary>A named connection string, handed to referencing projects as ConnectionStrings__{name}.</summary>
public sealed class ConnectionStringResource(string name, string connectionString) : IResource
{
    public string Name => name;

    public string ConnectionString => connectionString;
}
