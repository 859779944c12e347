using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Orders.Api.Options;
using Orders.Client.Calls;
using Orders.Tests.Infrastructure;
using Orders.Api.Storage;
using RpcStatusCode = Grpc.Core.StatusCode;

namespace Orders.Tests.Api;

/// <summary>Every error of docs/contract.md that the service itself produces, with its google.rpc details.</summary>
public sealed class RpcErrorTests : InProcessApiTest
{
    [Fact]
    public async Task GetOrder_UnknownId_IsNotFoundWithResourceInfo()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.getOrderAsync(new StringValue { Value = "999" }).ResponseAsync);

        AssertNotFound(error, "999", "Order 999 not found.");
    }

    [Fact]
    public async Task DeleteOrder_UnknownId_IsNotFoundWithResourceInfo()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.deleteOrderAsync(new StringValue { Value = "998" }).ResponseAsync);

        AssertNotFound(error, "998", "Order with ID 998 not found");
    }

    [Fact]
    public async Task AddOrder_ReportsOneFieldViolationPerProblem()
    {
        var order = new Order { Price = -1, Description = new string('d', 2001), Destination = new string('x', 201) };

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.addOrderAsync(order).ResponseAsync);

        Assert.Equal("Invalid order.", error.Status.Detail);
        Assert.Equal(
            [
                ("items", "An order needs at least one item."), ("price", "The price must not be negative."),
                ("description", "At most 2000 characters (got 2001)."), ("destination", "At most 200 characters (got 201)."),
            ],
            Violations(error).Select(v => (v.Field, v.Description)));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public async Task AddOrder_RejectsNonFinitePrices(float price)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.addOrderAsync(new Order { Items = { "A" }, Price = price }).ResponseAsync);

        var violation = Assert.Single(Violations(error));
        Assert.Equal("price", violation.Field);
        Assert.Contains("finite", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOrder_RejectsEmptyOrOverlongItems()
    {
        var order = new Order { Price = 1 };
        order.Items.AddRange(Enumerable.Range(0, 100).Select(i => $"item {i}"));
        order.Items[3] = "";
        order.Items[7] = new string('i', 201);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.addOrderAsync(order).ResponseAsync);

        Assert.Equal(
            [("items[3]", "An item must not be empty."), ("items[7]", "At most 200 characters (got 201).")],
            Violations(error).Select(v => (v.Field, v.Description)));
    }

    [Theory]
    [InlineData(101)]
    [InlineData(100_000)]
    public async Task AddOrder_TooManyItems_IsOneViolationAndNoWorkPerItem(int count)
    {
        // Empty items would each be a violation of their own, were they looked at.
        var order = new Order { Price = 1 };
        order.Items.AddRange(Enumerable.Repeat("", count));

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.addOrderAsync(order).ResponseAsync);

        var violation = Assert.Single(Violations(error));
        Assert.Equal(("items", $"At most 100 items per order (got {count})."), (violation.Field, violation.Description));
    }

    [Fact]
    public async Task AddOrder_ManyBadItems_ListsTheFirstTenViolationsAndCountsTheRest()
    {
        // 100 items (the most allowed) of 201 spaces: each is both blank and too long, 200 violations in all.
        var order = new Order { Price = 1 };
        order.Items.AddRange(Enumerable.Repeat(new string(' ', 201), 100));

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.addOrderAsync(order).ResponseAsync);

        Assert.Equal("Invalid order (200 field violations, the first 10 listed).", error.Status.Detail);
        Assert.Equal(["items[0]", "items[0]", "items[1]", "items[1]", "items[2]", "items[2]", "items[3]", "items[3]", "items[4]", "items[4]"],
            Violations(error).Select(v => v.Field));
        // Well inside any client's header limit (8 KiB for grpcio's default metadata size).
        Assert.InRange(error.Trailers.GetValueBytes("grpc-status-details-bin")!.Length, 1, 2048);
    }

    [Fact]
    public async Task AddOrder_ExactlyAsManyViolationsAsAreListed_ListsThemAllWithoutACount()
    {
        // Ten empty items: ten violations, as many as Orders:Validation:MaxFieldViolations lists.
        var order = new Order { Price = 1 };
        order.Items.AddRange(Enumerable.Repeat("", 10));

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.addOrderAsync(order).ResponseAsync);

        Assert.Equal("Invalid order.", error.Status.Detail);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"items[{i}]"), Violations(error).Select(v => v.Field));
    }

    [Fact]
    public async Task GetOrder_IdLongerThanTheLimit_IsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.getOrderAsync(new StringValue { Value = new string('7', 65) }).ResponseAsync);

        var violation = Assert.Single(Violations(error));
        Assert.Equal(("id", "At most 64 characters (got 65)."), (violation.Field, violation.Description));
    }

    [Fact]
    public async Task UpdateOrders_MoreOrdersThanTheLimit_StoresNone()
    {
        await using var factory = new OrdersApiFactory(new Dictionary<string, string?> { ["Orders:Validation:MaxOrdersPerUpdate"] = "2" });
        var client = factory.CreateOrdersClient();
        using var call = client.updateOrders();
        foreach (var id in new[] { "limit-1", "limit-2", "limit-3" })
        {
            await call.RequestStream.WriteAsync(new Order { Id = id, Items = { "A" }, Price = 1 });
        }

        await call.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal("orders", Violations(error)[0].Field);
        Assert.Contains("At most 2 orders per call.", Violations(error)[0].Description, StringComparison.Ordinal);
        var stored = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = "limit-1" }).ResponseAsync);
        Assert.Equal(RpcStatusCode.NotFound, stored.StatusCode);
    }

    [Fact]
    public async Task UpdateOrders_AtEveryLimit_IsAccepted()
    {
        // As many orders as one call takes, each with the longest id and the most items, every item as long as allowed.
        await using var factory = new OrdersApiFactory(new Dictionary<string, string?> { ["Orders:Validation:MaxOrdersPerUpdate"] = "2" });
        var client = factory.CreateOrdersClient();
        Order[] orders = [.. "78".Select(digit => new Order { Id = new string(digit, 64), Items = { Enumerable.Repeat(new string('i', 200), 100) }, Price = 1 })];

        await client.UpdateAsync(orders, new CallOptions());

        foreach (var order in orders)
        {
            Assert.Equal(order, await client.getOrderAsync(new StringValue { Value = order.Id }));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task GetOrder_EmptyId_IsInvalidArgument(string id)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.getOrderAsync(new StringValue { Value = id }).ResponseAsync);

        Assert.Equal("Invalid id.", error.Status.Detail);
        var violation = Assert.Single(Violations(error));
        Assert.Equal(("id", "An order id is required."), (violation.Field, violation.Description));
    }

    [Fact]
    public async Task DeleteOrder_EmptyId_IsInvalidArgumentNotNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.deleteOrderAsync(new StringValue { Value = "" }).ResponseAsync);

        Assert.Equal(RpcStatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("id", Assert.Single(Violations(error)).Field);
    }

    [Fact]
    public async Task SearchOrders_OverlongQuery_IsInvalidArgument()
    {
        using var call = Client.searchOrders(new StringValue { Value = new string('q', 201) });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal("Invalid search query.", error.Status.Detail);
        Assert.Equal("query", Assert.Single(Violations(error)).Field);
    }

    [Fact]
    public async Task SearchOrders_AQueryAsLongAsAllowed_IsSearched()
    {
        var query = new string('q', 200);
        var id = (await Client.addOrderAsync(new Order { Items = { query }, Price = 1 })).Value;
        var found = new List<string>();

        await Client.SearchAsync(query, new CallOptions(), order => found.Add(order.Id));

        Assert.Equal([id], found);
    }

    [Fact]
    public async Task ProcessOrders_EmptyId_IsInvalidArgument()
    {
        using var call = Client.processOrders();
        await call.RequestStream.WriteAsync(new StringValue { Value = "" });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal("id", Assert.Single(Violations(error)).Field);
    }

    [Fact]
    public async Task UpdateOrders_InvalidOrderAfterValidOnes_ChangesNothing()
    {
        using var call = Client.updateOrders();
        await call.RequestStream.WriteAsync(new Order { Id = "101", Items = { "Changed" }, Price = 1 });
        await call.RequestStream.WriteAsync(new Order { Id = "300", Items = { "New" }, Price = 1 });
        await call.RequestStream.WriteAsync(new Order { Id = "", Items = { "No id" }, Price = 1 });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal("orders[2].id", Assert.Single(Violations(error)).Field);
        await AssertUnchangedAsync(Client);
    }

    [Fact]
    public async Task UpdateOrders_AnOrderWithoutItems_IsInvalidLikeAnAddedOne_AndChangesNothing()
    {
        using var call = Client.updateOrders();
        await call.RequestStream.WriteAsync(new Order { Id = "101", Items = { "Changed" }, Price = 1 });
        await call.RequestStream.WriteAsync(new Order { Id = "300", Price = 1 });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal("Invalid order at position 1; no order of this call was stored.", error.Status.Detail);
        var violation = Assert.Single(Violations(error));
        Assert.Equal(("orders[1].items", "An order needs at least one item."), (violation.Field, violation.Description));
        await AssertUnchangedAsync(Client);
    }

    [Fact]
    public async Task AddOrder_AtEveryLimit_IsAccepted()
    {
        var order = new Order
        {
            Items = { new string('i', 200) }, Price = 0, Description = new string('d', 2000), Destination = new string('x', 200),
        };

        var id = (await Client.addOrderAsync(order)).Value;

        Assert.Equal(new Order(order) { Id = id }, await Client.getOrderAsync(new StringValue { Value = id }));
    }

    [Fact]
    public async Task UpdateOrders_CancelledByTheClient_ChangesNothing()
    {
        await using var factory = new OrdersApiFactory(new Dictionary<string, string?> { ["Logging:LogLevel:Orders.Api.Services"] = "Debug" });
        var client = factory.CreateOrdersClient();
        var requestId = Guid.NewGuid().ToString();
        using var cancellation = new CancellationTokenSource();
        using var call = client.updateOrders(new Metadata { { "x-request-id", requestId } }, cancellationToken: cancellation.Token);
        await call.RequestStream.WriteAsync(new Order { Id = "101", Items = { "Changed" }, Price = 1 });
        await call.RequestStream.WriteAsync(new Order { Id = "300", Items = { "New" }, Price = 1 });
        var logs = factory.Services.GetFakeLogCollector();
        Assert.True(await Eventually.WithinAsync(() => logs.GetSnapshot().Count(r => r.Message.Contains("buffered", StringComparison.Ordinal)) == 2, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)), "Condition not met in time.");

        await cancellation.CancelAsync();

        var span = await factory.ServerSpanAsync(requestId);
        Assert.Equal("CANCELLED", span.RpcStatusName());
        await AssertUnchangedAsync(client);
    }

    [Fact]
    public async Task StoreUnavailable_IsUnavailableWithRetryInfo()
    {
        await using var factory = new OrdersApiFactory(configureServices: services =>
            services.AddSingleton<IOrderStore>(new FailingOrderStore(() => new OrderStoreUnavailableException("disk gone"))));

        var error = await Assert.ThrowsAsync<RpcException>(() => factory.CreateOrdersClient().getOrderAsync(new StringValue { Value = "101" }).ResponseAsync);

        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        Assert.Equal("The order store is unavailable; retry later.", error.Status.Detail);
        var retry = error.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.True(retry.RetryDelay.ToTimeSpan() > TimeSpan.Zero);
    }

    [Fact]
    public async Task StoreUnavailable_IsAWarningWithoutTheException_AnOutageIsExpected()
    {
        await using var factory = new OrdersApiFactory(configureServices: services =>
            services.AddSingleton<IOrderStore>(new FailingOrderStore(() => new OrderStoreUnavailableException("disk gone"))));
        var requestId = Guid.NewGuid().ToString();

        await Assert.ThrowsAsync<RpcException>(() => factory.CreateOrdersClient()
            .getOrderAsync(new StringValue { Value = "101" }, new Metadata { { "x-request-id", requestId } }).ResponseAsync);

        var span = await factory.ServerSpanAsync(requestId);
        var logged = Assert.Single(factory.Services.GetFakeLogCollector().GetSnapshot(), r => r.Message.Contains(requestId, StringComparison.Ordinal) && r.Message.Contains(" ended ", StringComparison.Ordinal));
        Assert.Equal((LogLevel.Warning, null), (logged.Level, logged.Exception));
        Assert.DoesNotContain(span.Events, e => e.Name == "exception");
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task UnexpectedFailure_IsInternalWithAGenericMessage_AndTheExceptionIsLoggedAndTraced()
    {
        const string secretDetail = "connection string Password=hunter2 is wrong";
        await using var factory = new OrdersApiFactory(configureServices: services =>
            services.AddSingleton<IOrderStore>(new FailingOrderStore(() => new InvalidOperationException(secretDetail))));
        var requestId = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<RpcException>(() => factory.CreateOrdersClient()
            .getOrderAsync(new StringValue { Value = "101" }, new Metadata { { "x-request-id", requestId } }).ResponseAsync);

        Assert.Equal(RpcStatusCode.Internal, error.StatusCode);
        Assert.Equal(Orders.Api.Services.RpcErrors.InternalErrorMessage, error.Status.Detail);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        var logged = Assert.Single(factory.Services.GetFakeLogCollector().GetSnapshot(), r => r.Exception is not null);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Equal(secretDetail, logged.Exception!.Message);
        var span = await factory.ServerSpanAsync(requestId);
        Assert.Contains(span.Events, e => e.Name == "exception");
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, span.Status);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("999999999")]
    public async Task FaultInjection_InvalidDelayHeader_IsInvalidArgument(string value)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client
            .getOrderAsync(new StringValue { Value = "101" }, new Metadata { { "x-orders-delay-ms", value } }).ResponseAsync);

        Assert.Equal("Invalid x-orders-delay-ms header.", error.Status.Detail);
        var violation = Assert.Single(Violations(error));
        Assert.Equal("x-orders-delay-ms", violation.Field);
        Assert.Equal("Must be a whole number of milliseconds from 0 to 60000.", violation.Description);
    }

    [Fact]
    public async Task FaultInjection_ADelayOfExactlyTheMaximumIsAccepted()
    {
        await using var factory = new OrdersApiFactory(new Dictionary<string, string?> { ["Orders:FaultInjection:MaxDelayMs"] = "10" });

        var order = await factory.CreateOrdersClient().getOrderAsync(new StringValue { Value = "101" }, new Metadata { { "x-orders-delay-ms", "10" } });

        Assert.Equal("101", order.Id);
    }

    [Fact]
    public async Task FaultInjection_IsIgnoredUnlessEnabled_AndTheCallSaysSoInItsTrailers()
    {
        await using var factory = new OrdersApiFactory(new Dictionary<string, string?> { ["Orders:FaultInjection:Enabled"] = "false" });
        var client = factory.CreateOrdersClient();

        using var found = client.getOrderAsync(
            new StringValue { Value = "101" }, new Metadata { { "x-orders-delay-ms", "60000" } }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal("101", (await found.ResponseAsync).Id);
        // An answer without a message is trailers-only: the notice travels with its status, in the one header block.
        var notFound = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(
            new StringValue { Value = "999" }, new Metadata { { "x-orders-delay-ms", "250" } }).ResponseAsync);
        using var plain = client.getOrderAsync(new StringValue { Value = "101" });
        await plain.ResponseAsync;

        Assert.Equal("60000 ms not applied: fault injection is off (Orders:FaultInjection:Enabled=false)", found.GetTrailers().GetValue("x-orders-delay-ms-ignored"));
        Assert.Equal((RpcStatusCode.NotFound, "250 ms not applied: fault injection is off (Orders:FaultInjection:Enabled=false)"),
            (notFound.StatusCode, notFound.Trailers.GetValue("x-orders-delay-ms-ignored")));
        Assert.Null(plain.GetTrailers().GetValue("x-orders-delay-ms-ignored"));
    }

    [Fact]
    public async Task FaultInjection_Off_ARefusedCallIsNotToldOfIt()
    {
        await using var factory = new OrdersApiFactory(new Dictionary<string, string?>
        {
            ["Orders:FaultInjection:Enabled"] = "false",
            ["Orders:Metadata:MaxEntries"] = "1",
        });

        var refused = await Assert.ThrowsAsync<RpcException>(() => factory.CreateOrdersClient().getOrderAsync(
            new StringValue { Value = "101" }, new Metadata { { "x-orders-delay-ms", "250" } }).ResponseAsync);

        Assert.Equal(RpcStatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Null(refused.Trailers.GetValue("x-orders-delay-ms-ignored"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task FaultInjection_ItsInterceptorIsInTheCallPathOnlyWhenEnabled(string enabled, bool inPath)
    {
        await using var factory = new OrdersApiFactory(new Dictionary<string, string?> { ["Orders:FaultInjection:Enabled"] = enabled });

        var interceptors = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>>().Value.Interceptors;

        Assert.Equal(
            inPath ? ["ServerCallTrackingInterceptor", "FaultInjectionInterceptor"] : ["ServerCallTrackingInterceptor"],
            interceptors.Select(interceptor => interceptor.Type.Name));
    }

    [Fact]
    public async Task SqliteStore_UnreachableDatabase_IsUnavailable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "orders.db");
        var store = new SqliteOrderStore($"Data Source={path};Mode=ReadWrite", UnloggedAvailability.Create(), NullLogger<SqliteOrderStore>.Instance, new StorageOptions().ReadCacheBytes);

        var unavailable = await Assert.ThrowsAsync<OrderStoreUnavailableException>(() => store.InitializeAsync(seedSampleData: false, CancellationToken.None));
        Assert.Equal(
            $"The folder {Path.GetDirectoryName(path)} of the SQLite database {path} does not exist: create it, or set ConnectionStrings:orders to a path in one that does",
            unavailable.Message);
        // Callers are told only that the store is unavailable: the path is the operator's.
        Assert.Null(unavailable.CallerReason);
    }

    private static async Task AssertUnchangedAsync(OrderManagement.OrderManagementClient client)
    {
        Assert.Equal(["Item - A", "Item - B"], (await client.getOrderAsync(new StringValue { Value = "101" })).Items);
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = "300" }).ResponseAsync);
        Assert.Equal(RpcStatusCode.NotFound, missing.StatusCode);
    }

    private static void AssertNotFound(RpcException error, string id, string message)
    {
        Assert.Equal(RpcStatusCode.NotFound, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
        var resource = error.GetRpcStatus()?.GetDetail<ResourceInfo>();
        Assert.NotNull(resource);
        Assert.Equal(("order", id, message), (resource.ResourceType, resource.ResourceName, resource.Description));
    }

    private static Google.Protobuf.Collections.RepeatedField<BadRequest.Types.FieldViolation> Violations(RpcException error)
    {
        Assert.Equal(RpcStatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        return badRequest.FieldViolations;
    }
}
