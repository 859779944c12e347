using System.Data.Common;

namespace Orders.Api.Storage;

/// <summary>
/// An open connection kept for reuse with one command per statement: a reused command skips parsing and planning its SQL
/// again (SQLite keeps the compiled statement; Npgsql prepares it on the server once).
/// </summary>
public sealed class PreparedConnection : IAsyncDisposable
{
    private readonly DbConnection connection;
    private readonly Dictionary<string, DbCommand> commands = new(StringComparer.Ordinal);

    // An engine's statement compiled outside ADO.NET (SQLite's point read); it must be released before its connection.
    private IDisposable? ownStatement;

    internal PreparedConnection(DbConnection connection, ConnectionPool.Generation generation)
    {
        this.connection = connection;
        Generation = generation;
    }

    public DbConnection Connection => connection;

    /// <summary>The pool's generation it was opened in: retired together when their database stops being the store's.</summary>
    public ConnectionPool.Generation Generation { get; }

    /// <summary>When (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) the store last found its database is the one this connection holds.</summary>
    internal long StoresDatabaseConfirmedAt { get; set; }

    /// <summary>The statement's command with these parameter values; prepared on first use, once the values give Npgsql their types.</summary>
    public DbCommand Command(string sql, DbTransaction? transaction, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        var isNew = !commands.TryGetValue(sql, out var command);
        if (command is null)
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            commands.Add(sql, command);
        }

        command.Transaction = transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value;
        }

        if (isNew)
        {
            command.Prepare();
        }

        return command;
    }

    /// <summary>The engine's own statement on this connection, made by <paramref name="prepare"/> on first use.</summary>
    public T OwnStatement<T>(Func<DbConnection, T> prepare)
        where T : class, IDisposable =>
        (T)(ownStatement ??= prepare(connection));

    public async ValueTask DisposeAsync()
    {
        ownStatement?.Dispose();
        ownStatement = null;
        foreach (var command in commands.Values)
        {
            await command.DisposeAsync();
        }

        commands.Clear();
        await connection.DisposeAsync();
    }
}
