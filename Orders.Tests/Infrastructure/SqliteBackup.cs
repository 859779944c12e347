using Microsoft.Data.Sqlite;

namespace Orders.Tests.Infrastructure;

/// <summary>Backups of a live SQLite database, as an operator makes them.</summary>
public static class SqliteBackup
{
    /// <summary>A consistent copy of <paramref name="databasePath"/> at <paramref name="backupPath"/> (<c>VACUUM INTO</c>), taken beside its running writers.</summary>
    public static async Task<string> VacuumIntoAsync(string databasePath, string backupPath)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var vacuum = connection.CreateCommand();
        vacuum.CommandText = "VACUUM INTO @backup";
        vacuum.Parameters.AddWithValue("@backup", backupPath);
        await vacuum.ExecuteNonQueryAsync();
        return backupPath;
    }
}
