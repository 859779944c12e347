using System.Collections;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orders.Api.Options;
using Orders.Api.Storage;
using OrdersAspire.Shared;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;
using ApiOrder = Ecommerce.Order;

namespace Orders.Tests.Api;

/// <summary>The IOrderStore contract, run against both stores: a SQLite file and a real PostgreSQL database.</summary>
[Collection(PostgresServerDefinition.Name)]
[Requires(Need.PostgreSql)]
public sealed class OrderStoreContractTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly string sqliteFolder = Directory.CreateTempSubdirectory("orders-store-").FullName;
    private readonly List<IOrderStore> opened = [];

    public static TheoryData<OrderStoreProvider> Providers => [OrderStoreProvider.Sqlite, OrderStoreProvider.PostgreSQL];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AddAssignsAFreshIdAndGetReturnsEveryField(OrderStoreProvider provider)
    {
        var store = await OpenAsync(await NewDatabaseAsync(provider), seed: false);
        var order = new ApiOrder { Id = "client-chosen", Items = { "Ünïcode ✓", "" }, Price = 12.34f, Destination = "San José" };

        var id = await store.AddAsync(order, CancellationToken.None);

        Assert.NotEqual("client-chosen", id);
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(new ApiOrder(order) { Id = id }, await store.GetAsync(id, CancellationToken.None));
        Assert.NotEqual(id, await store.AddAsync(order, CancellationToken.None));
        Assert.Null(await store.GetAsync("client-chosen", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GetManyAnswersEachIdInTheOrderAskedWithNullForUnknownOnes(OrderStoreProvider provider)
    {
        var store = await OpenAsync(await NewDatabaseAsync(provider), seed: true);
        // Ids a list encoding could mistake: quotes, a backslash, SQL, a comma, non-ASCII, a wildcard.
        string[] awkward = ["a\"b", "c\\d", "x' OR '1'='1", "e,f", "Ünï ✓", "%", " 101"];
        await store.UpsertAllAsync([.. awkward.Select(id => Order(id, $"item of {id}"))], CancellationToken.None);
        // Items longer than a small buffer holds, with characters their stored form escapes.
        var large = Order("large", new string('é', 3_000), "\"quoted\" \\ ✓");
        await store.UpsertAllAsync([large], CancellationToken.None);
        string[] ids = ["103", "unknown", "101", ..awkward, "103", "", "101", "10%", "large"];

        var found = await store.GetManyAsync(ids, CancellationToken.None);

        Assert.Equal(
            [SampleOrders.All[2], null, SampleOrders.All[0], .. awkward.Select(id => Order(id, $"item of {id}")), SampleOrders.All[2], null, SampleOrders.All[0], null, large],
            found);
        Assert.Equal(large, await store.GetAsync("large", CancellationToken.None));
        Assert.Empty(await store.GetManyAsync([], CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GetManyTakesMoreIdsThanOneStatementOrSqlitesHostParameterLimit(OrderStoreProvider provider)
    {
        var store = await OpenAsync(await NewDatabaseAsync(provider), seed: false);
        var orders = Enumerable.Range(0, 1_200).Select(i => Order($"bulk-{i:D4}", $"item {i}")).ToArray();
        await store.UpsertAllAsync(orders, CancellationToken.None);
        // 2,500 ids, half of them unknown, then the first 600 again: repeats a statement apart.
        var ids = Enumerable.Range(0, 2_500).Concat(Enumerable.Range(0, 600)).Select(i => $"bulk-{i:D4}").ToArray();

        var found = await store.GetManyAsync(ids, CancellationToken.None);

        Assert.Equal(ids.Select(id => orders.FirstOrDefault(order => order.Id == id)), found);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SearchIsAnOrdinalSubstringMatchInInsertionOrder(OrderStoreProvider provider)
    {
        var store = await OpenAsync(await NewDatabaseAsync(provider), seed: false);
        await store.UpsertAllAsync([Order("b", "Item - A"), Order("a", "item - a", "an Item - Ax"), Order("c", "Item - B")], CancellationToken.None);
        // Replacing an order keeps its place in the insertion order.
        await store.UpsertAllAsync([Order("b", "Item - A", "Item - Z")], CancellationToken.None);

        Assert.Equal(["b", "a"], await SearchIdsAsync(store, "Item - A"));
        Assert.Equal(["a"], await SearchIdsAsync(store, "item - a"));
        Assert.Equal(["b", "a", "c"], await SearchIdsAsync(store, ""));
        Assert.Empty(await SearchIdsAsync(store, "%"));
        Assert.Equal(["Item - A", "Item - Z"], (await store.GetAsync("b", CancellationToken.None))!.Items);

        // Each item is matched on its own decoded text: escapes in the stored form and item boundaries play no part.
        await store.UpsertAllAsync([Order("d", "Größe \"XL\" \\ 10", "ab", "cd"), Order("e")], CancellationToken.None);
        Assert.Equal(["d"], await SearchIdsAsync(store, "ße \"XL\" \\"));
        Assert.Empty(await SearchIdsAsync(store, "b\",\"c"));
        Assert.Empty(await SearchIdsAsync(store, "u00df"));
        Assert.Equal(["b", "a", "c", "d"], await SearchIdsAsync(store, ""));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnUpsertThatFailsMidwayChangesNothing(OrderStoreProvider provider)
    {
        var store = await OpenAsync(await NewDatabaseAsync(provider), seed: true);
        var orders = new FailingAt(1, [Order("101", "changed"), Order("900", "new")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpsertAllAsync(orders, CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.UpsertAllAsync([Order("101", "changed")], new CancellationToken(canceled: true)));

        Assert.Equal(SampleOrders.All[0], await store.GetAsync("101", CancellationToken.None));
        Assert.Null(await store.GetAsync("900", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnUpsertOfMoreOrdersThanOneRoundTripCarriesIsStillAllOrNothing(OrderStoreProvider provider)
    {
        // PostgreSQL gets 500 statements per round trip: a failure in the third leaves the first two uncommitted.
        var store = await OpenAsync(await NewDatabaseAsync(provider), seed: false);
        var orders = Enumerable.Range(0, 1_200).Select(i => Order($"bulk-{i:D4}", $"item {i}")).ToArray();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpsertAllAsync(new FailingAt(1_100, orders), CancellationToken.None));
        Assert.Empty(await SearchIdsAsync(store, "item"));

        await store.UpsertAllAsync(orders, CancellationToken.None);
        Assert.Equal(orders.Select(o => o.Id), await SearchIdsAsync(store, "item"));
        Assert.Equal(orders[777], await store.GetAsync("bulk-0777", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DeleteReportsWhetherTheOrderWasThere(OrderStoreProvider provider)
    {
        var store = await OpenAsync(await NewDatabaseAsync(provider), seed: true);

        Assert.True(await store.DeleteAsync("102", CancellationToken.None));
        Assert.False(await store.DeleteAsync("102", CancellationToken.None));
        Assert.Null(await store.GetAsync("102", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SampleOrdersAreSeededOncePerDatabase(OrderStoreProvider provider)
    {
        var database = await NewDatabaseAsync(provider);
        var first = await OpenAsync(database, seed: true);
        Assert.Equal(["101", "102", "103", "104"], await SearchIdsAsync(first, ""));
        await first.DeleteAsync("101", CancellationToken.None);

        var restarted = await OpenAsync(database, seed: true);

        Assert.Equal(["102", "103", "104"], await SearchIdsAsync(restarted, ""));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SeedingLaterKeepsAnOrderAlreadyStoredUnderASampleId(OrderStoreProvider provider)
    {
        // updateOrders accepts any id, so a database first run without samples may already hold a "101".
        var database = await NewDatabaseAsync(provider);
        var unseeded = await OpenAsync(database, seed: false);
        await unseeded.UpsertAllAsync([Order("101", "mine")], CancellationToken.None);

        var seeded = await OpenAsync(database, seed: true);

        Assert.Equal(["mine"], (await seeded.GetAsync("101", CancellationToken.None))!.Items);
        Assert.Equal(["101", "102", "103", "104"], await SearchIdsAsync(seeded, ""));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CancelledCallsStopAndChangeNothing(OrderStoreProvider provider)
    {
        var store = await OpenAsync(await NewDatabaseAsync(provider), seed: true);
        var cancelled = new CancellationToken(canceled: true);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AddAsync(Order("", "x"), cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.DeleteAsync("101", cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync("101", cancelled).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetManyAsync(["101", "102"], cancelled));

        Assert.Equal(["101", "102", "103", "104"], await SearchIdsAsync(store, ""));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AStoreThatCannotBeReachedIsUnavailable(OrderStoreProvider provider)
    {
        var unreachable = provider == OrderStoreProvider.PostgreSQL
            ? $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Password=x;Database=orders;Timeout=5"
            : $"Data Source={Path.Combine(sqliteFolder, "no-such-folder", "orders.db")}";

        var store = Open(provider, unreachable);

        var error = await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.InitializeAsync(seedSampleData: true, CancellationToken.None));
        // The cause reaches the operator's log: PostgreSQL's is the driver's exception; for a missing folder the SQLite store names it itself.
        if (provider == OrderStoreProvider.PostgreSQL)
        {
            Assert.NotNull(error.InnerException);
        }
        else
        {
            Assert.Contains($"The folder {Path.Combine(sqliteFolder, "no-such-folder")} of the SQLite database", error.Message, StringComparison.Ordinal);
        }

        await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.PingAsync(CancellationToken.None));
        await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.GetAsync("101", CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.GetManyAsync(["101"], CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UntilInitializedEveryCallIsUnavailableThoughTheDatabaseAnswers(OrderStoreProvider provider)
    {
        var database = await NewDatabaseAsync(provider);
        await OpenAsync(database, seed: true);
        var store = Open(database.Provider, database.ConnectionString);

        await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.PingAsync(CancellationToken.None));
        await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.GetAsync("101", CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.GetManyAsync(["101"], CancellationToken.None));
        await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.AddAsync(Order("x", "item"), CancellationToken.None));
        await store.InitializeAsync(seedSampleData: true, CancellationToken.None);
        Assert.Equal(["101", "102", "103", "104"], await SearchIdsAsync(store, ""));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AFaultInTheSchemaIsNotUnavailability(OrderStoreProvider provider)
    {
        var database = await NewDatabaseAsync(provider);
        var store = await OpenAsync(database, seed: true);
        await using (var connection = provider == OrderStoreProvider.PostgreSQL
            ? (DbConnection)new NpgsqlConnection(database.ConnectionString)
            : new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE orders";
            await drop.ExecuteNonQueryAsync();
        }

        // A missing table is a bug to report as INTERNAL, not a store to retry later.
        var error = await Assert.ThrowsAnyAsync<DbException>(() => store.GetAsync("101", CancellationToken.None).AsTask());
        Assert.IsNotType<OrderStoreUnavailableException>(error);
    }

    [Fact]
    public async Task AWrongPostgresPasswordIsUnavailableNotACrash()
    {
        var wrong = new NpgsqlConnectionStringBuilder(postgres.ConnectionString("postgres")) { Password = "wrong" }.ConnectionString;

        var error = await Assert.ThrowsAsync<OrderStoreUnavailableException>(
            () => Open(OrderStoreProvider.PostgreSQL, wrong).InitializeAsync(seedSampleData: false, CancellationToken.None));

        Assert.Equal("28P01", Assert.IsType<PostgresException>(error.InnerException).SqlState);
    }

    [Fact]
    public async Task ReplicasStartingTogetherOnOnePostgresDatabaseSeedItOnce()
    {
        var database = await NewDatabaseAsync(OrderStoreProvider.PostgreSQL);

        var replicas = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync(database, seed: true)));

        Assert.Equal(["101", "102", "103", "104"], await SearchIdsAsync(replicas[0], ""));
    }

    [Theory]
    [InlineData("Host=db;Port=5432;Username=postgres;Password=p;Database=orders", OrderStoreProvider.PostgreSQL)]
    [InlineData("server=db;database=orders", OrderStoreProvider.PostgreSQL)]
    [InlineData("Data Source=/var/lib/orders/orders.db", OrderStoreProvider.Sqlite)]
    [InlineData("orders.db", OrderStoreProvider.Sqlite)]
    [InlineData(null, OrderStoreProvider.Sqlite)]
    public void TheProviderIsInferredFromTheConnectionStringsShape(string? connectionString, OrderStoreProvider expected) =>
        Assert.Equal(expected, OrderStoreFactory.Infer(connectionString));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in opened.OfType<IAsyncDisposable>())
        {
            await store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(sqliteFolder, recursive: true);
    }

    private static ApiOrder Order(string id, params string[] items) => new() { Id = id, Items = { items }, Price = 1, Destination = "here" };

    private static async Task<List<string>> SearchIdsAsync(IOrderStore store, string query) =>
        await store.SearchAsync(query, CancellationToken.None).Select(o => o.Id).ToListAsync();

    private async Task<(OrderStoreProvider Provider, string ConnectionString)> NewDatabaseAsync(OrderStoreProvider provider) =>
        provider == OrderStoreProvider.PostgreSQL
            ? (provider, postgres.ConnectionString(await postgres.CreateDatabaseAsync()))
            : (provider, $"Data Source={Path.Combine(sqliteFolder, $"{Guid.NewGuid():N}.db")}");

    private async Task<IOrderStore> OpenAsync((OrderStoreProvider Provider, string ConnectionString) database, bool seed)
    {
        var store = Open(database.Provider, database.ConnectionString);
        await store.InitializeAsync(seed, CancellationToken.None);
        return store;
    }

    private IOrderStore Open(OrderStoreProvider provider, string connectionString)
    {
        IOrderStore store = provider == OrderStoreProvider.PostgreSQL
            ? new PostgresOrderStore(NpgsqlDataSource.Create(connectionString), UnloggedAvailability.Create())
            : new SqliteOrderStore(connectionString, UnloggedAvailability.Create(), NullLogger<SqliteOrderStore>.Instance, new StorageOptions().ReadCacheBytes);
        opened.Add(store);
        return store;
    }

    /// <summary>A batch whose producer fails after handing over some orders, as a broken client stream would.</summary>
    private sealed class FailingAt(int index, IReadOnlyList<ApiOrder> orders) : IReadOnlyList<ApiOrder>
    {
        public int Count => orders.Count;

        public ApiOrder this[int i] => i == index ? throw new InvalidOperationException("The batch broke off.") : orders[i];

        public IEnumerator<ApiOrder> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
