namespace OrdersAspire.AppHost.Postgres;

/// <summary>
/// A PostgreSQL server run from this machine's own binaries (no container): its cluster and password live in
/// <see cref="Folder"/>, kept across runs. The connection string has the shape Npgsql and Aspire's AddPostgres use.
/// </summary>
internal sealed class LocalPostgresServerResource(string name, string folder, ParameterResource password)
    : ExecutableResource(name, "bash", folder), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";
    public const string UserName = "postgres";

    public string Folder { get; } = folder;

    public string DataDirectory => Path.Combine(Folder, "data");

    public string PasswordFile => Path.Combine(Folder, "password");

    public ParameterResource Password { get; } = password;

    public Dictionary<string, string> Databases { get; } = new(StringComparer.Ordinal);

    public EndpointReference PrimaryEndpoint => field ??= new EndpointReference(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.IPV4Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={Password}");
}
