namespace OrdersAspire.Shared;

/// <summary>Debian's PostgreSQL server binaries: one folder per installed major version, <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>.</summary>
internal static class PostgresBinaries
{
    public const string SearchRoot = "/usr/lib/postgresql";

    /// <summary>True when <paramref name="bin"/> holds both programs a cluster needs.</summary>
    public static bool Holds(string bin) => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb"));

    /// <summary>The bin folder of the highest version under <paramref name="searchRoot"/>, or null when none holds a server.</summary>
    public static string? Newest(string searchRoot = SearchRoot) =>
        (Directory.Exists(searchRoot) ? Directory.GetDirectories(searchRoot) : [])
            .Select(version => Path.Combine(version, "bin"))
            .Where(Holds)
            // Folders are named "15", "9.6": compared as versions ("15" > "9.6"), never as text.
            .OrderByDescending(bin => VersionOf(Path.GetFileName(Path.GetDirectoryName(bin))!))
            .FirstOrDefault();

    private static Version VersionOf(string folder) =>
        Version.TryParse(folder.Contains('.', StringComparison.Ordinal) ? folder : folder + ".0", out var version) ? version : new Version(0, 0);
}
