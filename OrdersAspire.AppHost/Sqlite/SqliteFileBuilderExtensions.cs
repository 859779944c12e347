namespace OrdersAspire.AppHost.Sqlite;

internal static class SqliteFileBuilderExtensions
{
    /// <summary>
    /// A SQLite database file <c>{name}.db</c> in <paramref name="dataDirectory"/>, kept across runs and handed to
    /// whatever references it as <c>ConnectionStrings__{name}</c>.
    /// </summary>
    public static IResourceBuilder<ConnectionStringResource> AddSqliteFile(this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            // SQLite creates the file, not the folders above it.
            Directory.CreateDirectory(dataDirectory);
        }

        var file = Path.Combine(dataDirectory, $"{name}.db");
        return builder.AddConnectionString(name, ReferenceExpression.Create($"Data Source={file}"));
    }
}
