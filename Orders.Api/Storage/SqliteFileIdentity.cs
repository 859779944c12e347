using Microsoft.Data.Sqlite;

namespace Orders.Api.Storage;

/// <summary>
/// Whether the database file a SQLite connection holds is still the one at its path. SQLite compares the inode it
/// opened with a <c>stat</c> of the path (<c>SQLITE_FCNTL_HAS_MOVED</c>): one system call, no read of the file.
/// </summary>
internal static unsafe class SqliteFileIdentity
{
    private const int HasMovedOperation = 20; // SQLITE_FCNTL_HAS_MOVED

    /// <summary>True once the file the connection opened was deleted, renamed or replaced at its path.</summary>
    public static bool HasMoved(SqliteConnection connection)
    {
        var moved = 0;
        return SqliteFileControl.OnMainFile(connection.Handle!, HasMovedOperation, &moved) == SqliteFileControl.Ok && moved != 0;
    }
}
