using Microsoft.Data.Sqlite;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>
/// getOrder's read through SQLite's statement API keeps what the ADO.NET read did: the stored text exactly, the same
/// exception for bad data and SQLite errors, and a busy database retried until the connection's default timeout.
/// </summary>
public sealed class SqlitePointReadTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("orders-point-read-").FullName;

    private string ConnectionString => $"Data Source={Path.Combine(folder, "orders.db")};Pooling=False";

    [Fact]
    public async Task ReadsTheStoredColumns_TextAsStored_AndNullForAnIdNotThere()
    {
        await using var connection = await OpenAsync(ConnectionString);
        await ExecuteAsync(connection, """INSERT INTO orders VALUES ('ä-1', '["Ünïcode \"quoted\"","","😀"]', 'Déscription', 12.5, 'Zürich')""");
        using var read = new SqlitePointRead(connection);

        var order = read.Read("ä-1");

        Assert.NotNull(order);
        Assert.Equal(("ä-1", "Déscription", 12.5f, "Zürich"), (order.Id, order.Description, order.Price, order.Destination));
        Assert.Equal(["Ünïcode \"quoted\"", "", "😀"], order.Items);
        Assert.Null(read.Read("ä-2"));
        // The same statement again, after a miss: it was reset, and the new id bound.
        Assert.Equal("ä-1", read.Read("ä-1")?.Id);
    }

    [Fact]
    public async Task AnIdLongerThanTheStackBuffer_IsBoundAndFound()
    {
        var id = new string('é', 1_000);
        await using var connection = await OpenAsync(ConnectionString);
        await ExecuteAsync(connection, $"INSERT INTO orders VALUES ('{id}', '[]', '', 0, '')");
        using var read = new SqlitePointRead(connection);

        Assert.Equal(id, read.Read(id)?.Id);
        Assert.Null(read.Read(id[..^1]));
    }

    [Fact]
    public async Task ItemsThatAreNotAJsonArrayOfStrings_AreInvalidDataNamingTheOrder()
    {
        await using var connection = await OpenAsync(ConnectionString);
        await ExecuteAsync(connection, """INSERT INTO orders VALUES ('bad', '["a", 1]', '', 0, '')""");
        using var read = new SqlitePointRead(connection);

        var error = Assert.Throws<InvalidDataException>(() => read.Read("bad"));

        Assert.Equal("The items of the stored order bad are not a JSON array of strings.", error.Message);
    }

    [Fact]
    public async Task ADatabaseHeldExclusively_IsRetriedUntilTheDefaultTimeout_ThenSqlitesBusyError()
    {
        // A rollback journal, as where the filesystem refuses WAL: there a writer's exclusive lock keeps readers out.
        await using var reader = await OpenAsync($"{ConnectionString};Default Timeout=1");
        // A long timeout for the read that is let go of: a busy test run may wake this test seconds late, never 30 s.
        await using var patientReader = await OpenAsync($"{ConnectionString};Default Timeout=30");
        await using var holder = await OpenAsync(ConnectionString);
        using var read = new SqlitePointRead(reader);
        using var patientRead = new SqlitePointRead(patientReader);
        await ExecuteAsync(holder, "BEGIN EXCLUSIVE");

        var error = await Assert.ThrowsAsync<SqliteException>(() => Task.Run(() => read.Read("1")));
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY, which the store answers UNAVAILABLE

        // Let go while the next read is still retrying: it is answered, not refused.
        var retried = Task.Run(() => patientRead.Read("1"));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(retried.IsCompleted);
        await ExecuteAsync(holder, "ROLLBACK");
        Assert.Null(await retried);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static async Task<SqliteConnection> OpenAsync(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            PRAGMA journal_mode = DELETE;
            CREATE TABLE IF NOT EXISTS orders (id TEXT NOT NULL UNIQUE, items TEXT NOT NULL, description TEXT NOT NULL, price REAL NOT NULL, destination TEXT NOT NULL);
            """);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
