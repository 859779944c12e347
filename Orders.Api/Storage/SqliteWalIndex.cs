using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace Orders.Api.Storage;

/// <summary>
/// The header of a WAL database's index (the first bytes of its <c>-shm</c> file), read through the connection's own
/// mapping of it. Every commit, by any connection of any process, rewrites the header before it returns, and a restarted
/// or rebuilt log rewrites it too; so while two reads of it are equal, the database holds what it held at the first.
/// It is read as SQLite's readers read it, without a lock: the two copies SQLite keeps, the second written first, are
/// equal only when no writer was half way through. The mapping lives as long as the connection: dispose this first.
/// </summary>
public sealed unsafe class SqliteWalIndex
{
    private const int FilePointerOperation = 7; // SQLITE_FCNTL_FILE_POINTER

    // The index's first region (32 KiB), which starts with the header twice (48 bytes each).
    private const int FirstRegionSize = 32 * 1024;
    private const int HeaderSize = 48;
    private const int IsInitOffset = 12;

    // sqlite3_io_methods: iVersion, then xClose … xDeviceCharacteristics (12 pointers), then, from version 2, xShmMap.
    private const int ShmMapSlot = 13;

    private readonly byte* header;

    private SqliteWalIndex(byte* header) => this.header = header;

    /// <summary>The index of the connection's database, or null where it has none mapped (not WAL, not a file, no read yet).</summary>
    public static SqliteWalIndex? Open(sqlite3 database)
    {
        nint file = 0;
        if (SqliteFileControl.OnMainFile(database, FilePointerOperation, &file) != SqliteFileControl.Ok || file == 0)
        {
            return null;
        }

        var methods = *(nint**)file;
        if (methods is null || *(int*)methods < 2 || methods[ShmMapSlot] == 0)
        {
            return null;
        }

        // Region 0 without extending the file: SQLite hands back the mapping its connection already holds.
        var shmMap = (delegate* unmanaged<nint, int, int, int, byte**, int>)methods[ShmMapSlot];
        byte* region = null;
        return shmMap(file, 0, FirstRegionSize, 0, &region) == SqliteFileControl.Ok && region is not null ? new SqliteWalIndex(region) : null;
    }

    /// <summary>The header now, or false while a writer is rewriting it (or before the index is built).</summary>
    [SkipLocalsInit]
    public bool TryRead(out WalIndexHeader read)
    {
        Unsafe.SkipInit(out read);
        var first = MemoryMarshal.AsBytes(new Span<WalIndexHeader>(ref read));
        new ReadOnlySpan<byte>(header, HeaderSize).CopyTo(first);
        Interlocked.MemoryBarrier();
        return first[IsInitOffset] != 0 && first.SequenceEqual(new ReadOnlySpan<byte>(header + HeaderSize, HeaderSize));
    }
}

/// <summary>The 48 bytes of a WAL index header: the same bytes, the same database contents.</summary>
[InlineArray(6)]
public struct WalIndexHeader
{
    private ulong element;

    public readonly bool SameAs(in WalIndexHeader other) => ((ReadOnlySpan<ulong>)this).SequenceEqual(other);
}
