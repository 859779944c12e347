using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Orders.Api.Options;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>Which store <c>ConnectionStrings:orders</c> and <c>Orders:Storage:Provider</c> select, and the default SQLite file.</summary>
public sealed class OrderStoreFactoryTests : IDisposable
{
    private readonly string contentRoot = Directory.CreateTempSubdirectory("orders-factory-").FullName;

    [Fact]
    public async Task ABlankConnectionStringIsTheDefault_AWalSqliteFileInTheContentRootsDataFolder()
    {
        var store = OrderStoreFactory.Create(Services("  ", provider: null));
        await store.InitializeAsync(seedSampleData: false, CancellationToken.None);

        var file = Path.Combine(contentRoot, "data", "orders.db");
        Assert.True(File.Exists(file), $"No database at {file}");
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var journalMode = connection.CreateCommand();
        journalMode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await journalMode.ExecuteScalarAsync());
    }

    [Fact]
    public void ADefaultFolderThatCannotBeCreatedIsAnErrorSayingWhatToDo()
    {
        // A file where the folder should be fails as a read-only root filesystem does, even for root.
        File.WriteAllText(Path.Combine(contentRoot, "data"), "");

        var error = Assert.Throws<BadSettingException>(() => OrderStoreFactory.Create(Services(null, provider: null)));

        Assert.StartsWith($"The default SQLite folder {Path.Combine(contentRoot, "data")} cannot be created (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("): mount a writable volume there, or set ConnectionStrings:orders.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfiguredProviderWinsOverTheConnectionStringsShape()
    {
        // Read as SQLite's, this PostgreSQL-shaped string is one SQLite cannot use.
        var error = Assert.Throws<BadSettingException>(() => OrderStoreFactory.Create(Services("Host=db;Database=orders", OrderStoreProvider.Sqlite)));

        Assert.StartsWith("ConnectionStrings:orders is not a SQLite connection string: Connection string keyword 'host' is not supported.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSqlWithoutAConnectionStringIsAnErrorNamingBothSettings()
    {
        var error = Assert.Throws<BadSettingException>(() => OrderStoreFactory.Create(Services(null, OrderStoreProvider.PostgreSQL)));

        Assert.Equal("Orders:Storage:Provider is PostgreSQL but ConnectionStrings:orders is not set.", error.Message);
    }

    [Theory]
    [InlineData("Data Source={0};Cache=Shared")]
    [InlineData("Data Source={0};cache=shared;Default Timeout=1")]
    [InlineData("Data Source=file:{0}?mode=rwc&Cache=Shared")]
    public void ASqliteConnectionStringAskingForSharedCacheIsRefusedNamingTheSetting(string format)
    {
        var error = Assert.Throws<BadSettingException>(() =>
            OrderStoreFactory.Create(Services(string.Format(CultureInfo.InvariantCulture, format, Path.Combine(contentRoot, "orders.db")), provider: null)));

        Assert.Equal(
            "ConnectionStrings:orders asks for SQLite's shared cache, which the order store does not use: remove Cache=Shared (or cache=shared from a file: URI), or set Cache=Private.",
            error.Message);
        Assert.False(File.Exists(Path.Combine(contentRoot, "orders.db")), "The refused store created its database.");
    }

    [Theory]
    [InlineData("Data Source={0};Cache=Private")]
    [InlineData("Data Source={0};Cache=Default")]
    [InlineData("Data Source=file:{0}?cache=private")]
    public async Task ASqliteConnectionStringWithAPrivateCacheServesOrders(string format)
    {
        var store = OrderStoreFactory.Create(Services(string.Format(CultureInfo.InvariantCulture, format, Path.Combine(contentRoot, "orders.db")), provider: null));
        await store.InitializeAsync(seedSampleData: true, CancellationToken.None);

        Assert.NotNull(await store.GetAsync("101", CancellationToken.None));
    }

    [Theory]
    [InlineData("Data", null, "ConnectionStrings:orders is not a SQLite connection string: Format of the initialization string does not conform to specification starting at index 0.")]
    [InlineData("Data Sorce=orders.db", null, "ConnectionStrings:orders is not a SQLite connection string: Connection string keyword 'data sorce' is not supported.")]
    [InlineData("Host=db;Databse=orders", null, "ConnectionStrings:orders is not a PostgreSQL connection string: ")]
    [InlineData("Data Source=orders.db", OrderStoreProvider.PostgreSQL, "ConnectionStrings:orders is not a PostgreSQL connection string: ")]
    public void AConnectionStringNoDriverCanReadIsRefusedAtStartNamingTheSetting(string connectionString, OrderStoreProvider? provider, string message)
    {
        var error = Assert.Throws<BadSettingException>(() => OrderStoreFactory.Create(Services(connectionString, provider)));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length > message.Length || message.EndsWith('.'), $"No reason given: {error.Message}");
    }

    private ServiceProvider Services(string? connectionString, OrderStoreProvider? provider)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:orders"] = connectionString })
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(new OrdersOptions { Storage = { Provider = provider } }))
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = contentRoot })
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<OrderStoreAvailability>()
            .BuildServiceProvider();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(contentRoot, recursive: true);
    }
}
