using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Orders.Api.Storage;

/// <summary>
/// Whether the database file a SQLite connection holds is still the one at its path. SQLite compares the inode it
/// opened with a <c>stat</c> of the path (<c>SQLITE_FCNTL_HAS_MOVED</c>): one system call, no read of the file.
/// SQLitePCLRaw does not expose <c>sqlite3_file_control</c>, so it is called in the bundled library directly.
/// </summary>
internal static partial class SqliteFileIdentity
{
    private const int HasMovedOperation = 20; // SQLITE_FCNTL_HAS_MOVED
    private const int Ok = 0;

    /// <summary>True once the file the connection opened was deleted, renamed or replaced at its path.</summary>
    public static bool HasMoved(SqliteConnection connection)
    {
        var moved = 0;
        return sqlite3_file_control(connection.Handle!.DangerousGetHandle(), "main", HasMovedOperation, ref moved) == Ok && moved != 0;
    }

    [LibraryImport("e_sqlite3", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sqlite3_file_control(nint database, string schema, int operation, ref int result);
}
