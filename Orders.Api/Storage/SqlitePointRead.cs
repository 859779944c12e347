using System.Diagnostics;
using System.Text;
using Ecommerce;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Orders.Api.Storage;

/// <summary>
/// getOrder's read through SQLite's own statement API: compiled once per connection, then per call bound, stepped, its
/// columns decoded straight from SQLite's memory and reset. No command, parameter or reader objects, and the items'
/// JSON is parsed from the stored UTF-8 without a string in between. Errors are Microsoft.Data.Sqlite's
/// <see cref="SqliteException"/>, and a busy database is retried as its commands retry one.
/// </summary>
public sealed class SqlitePointRead : IDisposable
{
    private const string Sql = "SELECT items, description, price, destination FROM orders WHERE id = @id";

    // Microsoft.Data.Sqlite's pause between two tries of a statement SQLite answered busy or locked.
    private static readonly TimeSpan BusyRetryDelay = TimeSpan.FromMilliseconds(150);

    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;
    private readonly TimeSpan busyTimeout;

    // SQLite's mapping of the WAL index: there once the connection has read in WAL mode.
    private SqliteWalIndex? walIndex;

    public SqlitePointRead(SqliteConnection connection)
    {
        database = connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(database, Sql, out statement), database);
        // As a command's default timeout: 0 retries for as long as the database stays busy.
        busyTimeout = TimeSpan.FromSeconds(connection.DefaultTimeout);
    }

    /// <summary>
    /// The order stored under <paramref name="id"/>, or null: from <paramref name="cache"/> while the database's WAL index
    /// says nothing was committed since it was read, which begins no read transaction.
    /// </summary>
    public Order? Read(string id, OrderReadCache? cache = null)
    {
        WalIndexHeader header = default;
        var stamped = cache is not null && (walIndex ??= SqliteWalIndex.Open(database)) is { } index && index.TryRead(out header);
        if (stamped && cache!.TryGet(header, id, out var kept))
        {
            return kept;
        }

        var order = ReadFromDatabase(id);
        if (stamped && order is not null)
        {
            cache!.Add(header, order);
        }

        return order;
    }

    private Order? ReadFromDatabase(string id)
    {
        try
        {
            Bind(id);
            var result = StepRetryingWhileBusy();
            if (result == raw.SQLITE_DONE)
            {
                return null;
            }

            if (result != raw.SQLITE_ROW)
            {
                SqliteException.ThrowExceptionForRC(result, database);
            }

            var order = new Order
            {
                Id = id,
                Description = Text(1),
                Price = (float)raw.sqlite3_column_double(statement, 2),
                Destination = Text(3),
            };
            SqliteOrderStore.AddItems(raw.sqlite3_column_blob(statement, 0), order);
            return order;
        }
        finally
        {
            // Ends the statement's read transaction: a connection left mid-statement would pin its snapshot of the database.
            raw.sqlite3_reset(statement);
        }
    }

    public void Dispose() => statement.Dispose();

    // SQLite copies the bound text (SQLITE_TRANSIENT), so the scratch buffer is free again on return.
    private void Bind(string id) =>
        Utf8Scratch.Use(id, this, static (utf8, read) => SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(read.statement, 1, utf8), read.database));

    private int StepRetryingWhileBusy()
    {
        long? firstBusy = null;
        while (true)
        {
            var result = raw.sqlite3_step(statement);
            if ((result & 0xFF) is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED))
            {
                return result;
            }

            firstBusy ??= Stopwatch.GetTimestamp();
            if (busyTimeout > TimeSpan.Zero && Stopwatch.GetElapsedTime(firstBusy.Value) >= busyTimeout)
            {
                return result;
            }

            raw.sqlite3_reset(statement);
            Thread.Sleep(BusyRetryDelay);
        }
    }

    private string Text(int column) => Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, column));
}
