namespace OrdersAspire.AppHost.Hosting.ApplicationModel;

/// <summary>
/// A PostgreSQL server the AppHost runs from the installed binaries (Aspire runs a container; here none exist). Its
/// folder holds the superuser's password and, under data/, the cluster, so both survive AppHost restarts.
/// </summary>
public sealed class PostgresServerResource(string name, string folder, int port, string password) : ProcessResource(name)
{
    public const string UserName = "postgres";
    internal const string PasswordFileName = "password";

    public override string ResourceType => "Executable";

    /// <summary><c>&lt;data-dir&gt;/&lt;name&gt;</c>.</summary>
    public string Folder => folder;

    public string PasswordFile => Path.Combine(folder, PasswordFileName);

    public string DataDirectory => Path.Combine(folder, "data");

    public int Port => port;

    public Uri Endpoint => new($"tcp://127.0.0.1:{port}");

    /// <summary>Databases declared with AddDatabase; each is created, when missing, before the server counts as Running.</summary>
    public IList<string> Databases { get; } = [];

    /// <summary>The shape Aspire's AddPostgres(…).AddDatabase(…) injects.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username={UserName};Password={password};Database={database}";

    internal string Password => password;
}
