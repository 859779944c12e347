using System.Security.Cryptography;
using OrdersAspire.AppHost.Hosting.ApplicationModel;
using OrdersAspire.AppHost.Hosting.Orchestration;

namespace OrdersAspire.AppHost.Hosting;

/// <summary>Aspire's AddPostgres(…).AddDatabase(…), backed by a PostgreSQL server process instead of a container.</summary>
public static class PostgresBuilderExtensions
{
    /// <summary>A PostgreSQL server on a free loopback port, its cluster and password in &lt;data-dir&gt;/&lt;name&gt;/ (kept across runs).</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name)
    {
        var folder = Path.Combine(builder.Options.DataDirectory, name);
        var passwordFile = Path.Combine(folder, PostgresServerResource.PasswordFileName);
        // The password initdb set on the first run; a new one (written before initdb) when there has been none.
        var password = File.Exists(passwordFile) ? File.ReadAllText(passwordFile).Trim() : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return builder.AddResource(new PostgresServerResource(name, folder, FreePort.Next(), password));
    }

    /// <summary>A database on the server, referenced as ConnectionStrings__{name}; created when the server first accepts logins.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name)
    {
        builder.Resource.Databases.Add(name);
        return new ResourceBuilder<PostgresDatabaseResource>(new PostgresDatabaseResource(name, builder.Resource), builder.ApplicationBuilder);
    }
}
