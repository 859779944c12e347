using System.Runtime.InteropServices;
using SQLitePCL;

namespace Orders.Api.Storage;

/// <summary>
/// <c>sqlite3_file_control</c> on a connection's main database file, called in the bundled library directly: SQLitePCLRaw
/// does not expose it.
/// </summary>
internal static unsafe partial class SqliteFileControl
{
    public const int Ok = 0;

    /// <summary>Runs <paramref name="operation"/> (a <c>SQLITE_FCNTL_*</c> code) with <paramref name="argument"/> on the file of schema "main".</summary>
    public static int OnMainFile(sqlite3 database, int operation, void* argument)
    {
        // The schema's name as SQLite reads it, null-terminated UTF-8: nothing to marshal per call.
        fixed (byte* main = "main\0"u8)
        {
            return sqlite3_file_control(database.DangerousGetHandle(), main, operation, argument);
        }
    }

    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_file_control(nint database, byte* schema, int operation, void* argument);
}
