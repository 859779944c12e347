namespace OrdersAspire.AppHost.Hosting.ApplicationModel;

/// <summary>A resource a project can reference as ConnectionStrings__{name}: a SQLite file, a PostgreSQL database.</summary>
public interface IResourceWithConnectionString : IResource
{
    string ConnectionString { get; }
}
