using OrdersAspire.Shared;

namespace Orders.Tests.Distributed;

/// <summary>
/// Which installed PostgreSQL the AppHost's postgres store and the tests' servers run: the newest by version number, of
/// the version folders that hold both postgres and initdb.
/// </summary>
public sealed class PostgresBinariesTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("orders-postgres-bins-");

    [Fact]
    public void FifteenIsNewerThanNinePointSix()
    {
        Install("9.6");
        var fifteen = Install("15");
        Install("10");

        Assert.Equal(fifteen, PostgresBinaries.Newest(root.FullName));
    }

    [Fact]
    public void AVersionWithoutInitdbIsPassedOver()
    {
        var fifteen = Install("15");
        File.Delete(Path.Combine(Install("16"), "initdb"));

        Assert.Equal(fifteen, PostgresBinaries.Newest(root.FullName));
    }

    [Fact]
    public void NoServerInstalledIsNone()
    {
        Directory.CreateDirectory(Path.Combine(root.FullName, "17", "bin"));

        Assert.Null(PostgresBinaries.Newest(root.FullName));
        Assert.Null(PostgresBinaries.Newest(Path.Combine(root.FullName, "missing")));
    }

    public void Dispose() => root.Delete(recursive: true);

    private string Install(string version)
    {
        var bin = Directory.CreateDirectory(Path.Combine(root.FullName, version, "bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "postgres"), "");
        File.WriteAllText(Path.Combine(bin, "initdb"), "");
        return bin;
    }
}
