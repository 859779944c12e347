using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ecommerce;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace Orders.Api.Storage;

/// <summary>
/// SQLite (WAL) order store; items are kept as a JSON array. It serves the database file at its path: once the file its
/// connections hold is deleted or replaced (or its write-ahead log deleted), it closes them, and it never creates an
/// empty database in place of one that was initialized.
/// </summary>
public sealed partial class SqliteOrderStore : SqlOrderStore
{
    // SQLite result codes meaning "cannot reach or use the database right now" rather than a bug of ours.
    private static readonly HashSet<int> UnavailableErrorCodes =
    [
        5,  // SQLITE_BUSY
        6,  // SQLITE_LOCKED
        8,  // SQLITE_READONLY
        10, // SQLITE_IOERR
        13, // SQLITE_FULL
        14, // SQLITE_CANTOPEN
    ];

    private const string SharedCacheRefused =
        $"ConnectionStrings:{OrderStoreFactory.ConnectionStringName} asks for SQLite's shared cache, which the order store does not use: remove Cache=Shared (or cache=shared from a file: URI), or set Cache=Private.";

    private readonly string connectionString;

    // The same, without creating the file: used once the database is initialized.
    private readonly string existingFileConnectionString;

    // Null for a database that is not a file of its own (in memory, a temporary one, a URI).
    private readonly string? databasePath;

    private readonly ILogger<SqliteOrderStore> logger;

    private readonly OrderReadCache? readCache;

    // Pooling off, so that closing it closes the file; null without a file of its own.
    private readonly string? witnessConnectionString;

    private readonly Lock witnessLock = new();

    // A connection that never reads, held open on the file the store's connections lead to: a new connection opens
    // only while that file is still the one at the path, or it would share the old file's -wal and -shm.
    private SqliteConnection? witness;

    // 1 once the file was deleted or replaced: the -wal and -shm at its path are still the old file's.
    private int oldFilesLogAtPath;

    // False where the filesystem refuses WAL (SQLite then keeps a rollback journal): there is no -wal to check.
    private volatile bool inWalMode;

    /// <param name="readCacheBytes">
    /// How much memory getOrder may keep orders in between commits (<c>Orders:Storage:ReadCacheBytes</c>); 0 reads every one from the database.
    /// </param>
    public SqliteOrderStore(string connectionString, OrderStoreAvailability availability, ILogger<SqliteOrderStore> logger, long readCacheBytes)
        : base(availability)
    {
        readCache = readCacheBytes > 0 ? new OrderReadCache(readCacheBytes) : null;
        this.connectionString = connectionString;
        this.logger = logger;
        existingFileConnectionString = connectionString;
        SqliteConnectionStringBuilder options;
        try
        {
            options = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // A typo here would otherwise leave the service up, answering UNAVAILABLE while it retries forever.
            throw new BadSettingException(OrderStoreFactory.Unreadable("SQLite", ex), ex);
        }

        if (AsksForSharedCache(options))
        {
            throw new BadSettingException(SharedCacheRefused);
        }

        if (options.Mode is SqliteOpenMode.ReadWriteCreate or SqliteOpenMode.ReadWrite && IsPlainFile(options.DataSource))
        {
            databasePath = Path.GetFullPath(options.DataSource);
            options.Mode = SqliteOpenMode.ReadWrite;
            existingFileConnectionString = options.ToString();
            options.Pooling = false;
            witnessConnectionString = options.ToString();
        }
    }

    protected override string SchemaSql => """
        CREATE TABLE IF NOT EXISTS orders (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            id          TEXT    NOT NULL UNIQUE,
            items       TEXT    NOT NULL,
            description TEXT    NOT NULL,
            price       REAL    NOT NULL,
            destination TEXT    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS store_metadata (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """;

    // json_each decodes the stored array and instr is an exact, case-sensitive substring test on the decoded text.
    protected override string ItemContainsQuerySql => "EXISTS (SELECT 1 FROM json_each(orders.items) WHERE instr(json_each.value, @query) > 0)";

    protected override string IdInListSql => "id IN (SELECT value FROM json_each(@ids))";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        DeleteOldFilesLog();
        var connection = new SqliteConnection(IsInitialized ? existingFileConnectionString : connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // WAL is a property of the database file: a no-op but for a file restored in another journal mode (it cannot
            // be switched inside a transaction). Per connection: a commit returns only once the WAL is flushed to disk, so
            // an acknowledged write survives a crash.
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL";
            inWalMode = "wal".Equals(await pragmas.ExecuteScalarAsync(cancellationToken) as string, StringComparison.OrdinalIgnoreCase);
            // After every earlier connection closed, SQLite builds the WAL index anew, and a header kept from before
            // could equal the new one by chance: nothing kept is served past a new connection.
            readCache?.Clear();
            WatchTheDatabase();
            return connection;
        }
        catch (SqliteException) when (databasePath is not null && !IsInitialized && Path.GetDirectoryName(databasePath) is { } folder && !Directory.Exists(folder))
        {
            // SQLite says only "unable to open database file": the operator needs the path, and that it is the folder that is missing.
            await connection.DisposeAsync();
            throw new OrderStoreUnavailableException(
                $"The folder {folder} of the SQLite database {databasePath} does not exist: create it, or set ConnectionStrings:{OrderStoreFactory.ConnectionStringName} to a path in one that does");
        }
        catch (SqliteException) when (databasePath is not null && IsInitialized && !File.Exists(databasePath))
        {
            // Without SQLite's exception: its "unable to open database file" would be reported instead of this.
            await connection.DisposeAsync();
            var reason = $"The SQLite database {databasePath} does not exist: it was deleted while the service ran";
            throw new OrderStoreUnavailableException(
                $"{reason}. Calls are UNAVAILABLE until a database is restored at that path; none is created in its place") { CallerReason = reason };
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override string? LetGoUnlessTheStoresDatabase(DbConnection connection, bool justCommitted)
    {
        if (databasePath is null)
        {
            return null;
        }

        if (SqliteFileIdentity.HasMoved((SqliteConnection)connection))
        {
            return LetGoOfMovedFile();
        }

        // A commit leaves the log on disk; one in a deleted log survives only while a connection holds it, and closing
        // them checkpoints it into the database. (Reads through a deleted log still see this database's data.)
        return !justCommitted || !inWalMode || File.Exists(databasePath + "-wal")
            ? null
            : LetGo($"The write-ahead log of the SQLite database {databasePath} was deleted");
    }

    protected override string? LetGoUnlessStillTheStoresDatabase()
    {
        lock (witnessLock)
        {
            if (witness is null || !SqliteFileIdentity.HasMoved(witness))
            {
                return null;
            }
        }

        return LetGoOfMovedFile();
    }

    protected override ValueTask DisposeEngineAsync()
    {
        StopWatchingTheDatabase();
        return ValueTask.CompletedTask;
    }

    protected override void OnStoresDatabaseLost(string reason) => LogDatabaseLost(logger, reason);

    protected override bool IsUnavailable(DbException exception) =>
        exception is SqliteException sqlite && UnavailableErrorCodes.Contains(sqlite.SqliteErrorCode);

    protected override object TextListValue(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, TextListJson.Default.IEnumerableString);

    // The order's id is already read: an error names it without reading the column again.
    protected override void ReadItems(DbDataReader reader, int ordinal, Order order) =>
        Utf8Scratch.Use(reader.GetString(ordinal), order, static (utf8, order) => AddItems(utf8, order));

    /// <summary>Decodes a stored items column (a JSON array of strings, as UTF-8) straight into the order's list: no array in between; an error names the order's id.</summary>
    internal static void AddItems(ReadOnlySpan<byte> utf8Json, Order order)
    {
        var array = new Utf8JsonReader(utf8Json);
        var isArray = array.Read() && array.TokenType == JsonTokenType.StartArray;
        while (isArray && array.Read() && array.TokenType == JsonTokenType.String)
        {
            order.Items.Add(array.GetString()!);
        }

        if (!isArray || array.TokenType != JsonTokenType.EndArray)
        {
            throw new InvalidDataException($"The items of the stored order {order.Id} are not a JSON array of strings.");
        }
    }

    /// <summary>getOrder's read: SQLite's statement API on the connection's own compiled statement, no ADO.NET objects per call.</summary>
    protected override ValueTask<Order?> ReadByIdAsync(PreparedConnection connection, string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The cache needs the WAL index: where the filesystem refused WAL, every read goes to the database.
        return new(connection.OwnStatement(open => new SqlitePointRead((SqliteConnection)open)).Read(id, inWalMode ? readCache : null));
    }

    // Microsoft.Data.Sqlite runs statements synchronously behind its async API: called directly, no task holds the reader.
    protected override ValueTask<DbDataReader> QueryAsync(DbCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(command.ExecuteReader());
    }

    private string LetGoOfMovedFile()
    {
        Volatile.Write(ref oldFilesLogAtPath, 1);
        return LetGo($"The SQLite database {databasePath} is no longer the file the service opened: it was deleted or replaced");
    }

    private string LetGo(string reason)
    {
        // Microsoft.Data.Sqlite pools the native connections our pool closes: without this, a "new" one could be an old one.
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        SqliteConnection.ClearPool(new SqliteConnection(existingFileConnectionString));
        StopWatchingTheDatabase();
        return reason;
    }

    // Opened after the first connection of a generation: if the file was replaced in between, that connection's own
    // check finds it, and the generation is retired with it.
    private void WatchTheDatabase()
    {
        if (witnessConnectionString is null)
        {
            return;
        }

        lock (witnessLock)
        {
            if (witness is null)
            {
                var opened = new SqliteConnection(witnessConnectionString);
                opened.Open();
                witness = opened;
            }
        }
    }

    private void StopWatchingTheDatabase()
    {
        lock (witnessLock)
        {
            witness?.Dispose();
            witness = null;
        }
    }

    // SQLite neither checkpoints nor deletes the log of a file that moved when closing its last connection, and would
    // replay it onto the next database at the path. The pool opens a connection only once the old ones are all closed.
    private void DeleteOldFilesLog()
    {
        if (Interlocked.Exchange(ref oldFilesLogAtPath, 0) == 0)
        {
            return;
        }

        try
        {
            File.Delete(databasePath + "-wal");
            File.Delete(databasePath + "-shm");
        }
        catch (DirectoryNotFoundException)
        {
            // The folder went with the file, and its log with it.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Volatile.Write(ref oldFilesLogAtPath, 1);
            throw new OrderStoreUnavailableException(
                $"The write-ahead log the replaced SQLite database left at {databasePath}-wal cannot be deleted ({ex.Message}); it must not be replayed onto the database now at that path", ex);
        }
    }

    // SQLite discourages shared cache: it trades WAL's "readers never block the writer" for table locks between the
    // pool's connections (SQLITE_LOCKED), and nothing in this store needs one pager shared.
    private static bool AsksForSharedCache(SqliteConnectionStringBuilder options) =>
        options.Cache == SqliteCacheMode.Shared
        || (options.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            && options.DataSource.Split('?', 2).ElementAtOrDefault(1)?.Split('&').Contains("cache=shared", StringComparer.OrdinalIgnoreCase) == true);

    // Only a path names a file whose identity can be compared: not ":memory:", not "" (a temporary database), not a URI.
    private static bool IsPlainFile(string dataSource) =>
        dataSource.Length > 0 && dataSource != ":memory:" && !dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 29, EventName = "SqliteDatabaseLost", Level = LogLevel.Warning,
        Message = "{Reason}. Its connections are closed; calls are UNAVAILABLE until a database is at that path again, which is then served without a restart")]
    private static partial void LogDatabaseLost(ILogger logger, string reason);

    // Generated at build time: no reflection, and no copy of the items list before encoding it.
    [JsonSerializable(typeof(IEnumerable<string>))]
    private sealed partial class TextListJson : JsonSerializerContext;
}
