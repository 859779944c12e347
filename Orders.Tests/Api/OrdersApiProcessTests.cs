using OrdersAspire.TestHarness;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>The built Orders.Api as a real process: h2c on the URL given with --urls, health and reflection.</summary>
[Requires(Need.Process)]
public sealed class OrdersApiProcessTests(OrdersApiProcessFixture fixture) : IClassFixture<OrdersApiProcessFixture>
{
    private readonly OrdersApiProcess api = fixture.Api;

    [Fact]
    public async Task ServesTheContractOverH2cOnTheConfiguredUrl()
    {
        using var channel = api.CreateChannel();
        var order = await new OrderManagement.OrderManagementClient(channel).getOrderAsync(new StringValue { Value = "101" });

        Assert.Equal(["Item - A", "Item - B"], order.Items);
    }

    [Fact]
    public async Task AnswersGrpcHealthChecksIncludingTheStore()
    {
        using var channel = api.CreateChannel();
        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task ListsTheServiceThroughServerReflection()
    {
        using var channel = api.CreateChannel();
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name);
        Assert.Contains("ecommerce.OrderManagement", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    /// <summary>
    /// One bad value per options class (and Kestrel's limits, and the bearer checks): one line naming the key and what
    /// it accepts, exit 2, no stack trace — what an operator sees, so a real process.
    /// </summary>
    [Theory]
    [InlineData("Orders:Processing:BatchSize", "0", "Orders.Api: Orders:Processing:BatchSize must be between 1 and 10000")]
    [InlineData("Orders:Metadata:MaxEntries", "100001", "Orders.Api: Orders:Metadata:MaxEntries must be between 1 and 100000")]
    [InlineData("Orders:Storage:MaxInitializeRetryDelayMs", "99", "Orders.Api: Orders:Storage:MaxInitializeRetryDelayMs must be between 100 and 3600000")]
    [InlineData("Orders:Storage:Provider", "Mongo", "Orders.Api: Orders:Storage:Provider: 'Mongo' is not one of Sqlite, PostgreSQL.")]
    [InlineData("Orders:Validation:MaxIdLength", "many", "Orders.Api: Orders:Validation:MaxIdLength: 'many' is not a whole number.")]
    [InlineData("ConnectionStrings:orders", null, "Orders.Api: Orders:Storage:Provider is PostgreSQL but ConnectionStrings:orders is not set.")]
    [InlineData("ConnectionStrings:orders", "Data Source=/tmp/orders-never-created.db;Cache=Shared", "Orders.Api: ConnectionStrings:orders asks for SQLite's shared cache")]
    [InlineData("ConnectionStrings:orders", "Data Sorce=/tmp/orders-never-created.db", "Orders.Api: ConnectionStrings:orders is not a SQLite connection string: Connection string keyword 'data sorce' is not supported.")]
    [InlineData("Orders:Procesing:BatchSize", "10", "Orders.Api: Orders:Procesing is not a setting; did you mean Orders:Processing?")]
    [InlineData("Orders:Authentication:Enabled", "yes", "Orders.Api: Orders:Authentication:Enabled: 'yes' is not true or false.")]
    [InlineData("Orders:Http1Port", "65536", "Orders.Api: Orders:Http1Port must be between 1 and 65535.")]
    [InlineData("Kestrel:Limits:Http2:MaxStreamsPerConnection", "0", "Orders.Api: Kestrel:Limits:Http2:MaxStreamsPerConnection: A value greater than zero is required.")]
    [InlineData("Authentication:Schemes:Bearer:ValidAudiences:0", null, "Orders.Api: Authentication:Schemes:Bearer:ValidAudiences (or ValidAudience) is required")]
    public async Task ABadSettingIsOneLineNamingItAndWhatItAccepts_Exit2(string key, string? value, string line)
    {
        // The bearer row: authentication on with every check configured but the one the row leaves out.
        var settings = new Dictionary<string, string?>(key.StartsWith("Authentication:", StringComparison.Ordinal) ? new TestTokens().ApiSettings : []);
        settings[key] = value;
        if (key.StartsWith("ConnectionStrings:", StringComparison.Ordinal) && value is null)
        {
            // Two settings that contradict each other: PostgreSQL named, its connection string left out.
            settings["Orders:Storage:Provider"] = "PostgreSQL";
        }

        var run = await AppRun.RunAsync("Orders.Api", settings, "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        AppRun.AssertRefusedWithOneLine(run, 2, line);
    }

    [Fact]
    public async Task AnAddressWithATypoInItsPortIsOneLine_NotEveryInterfaceOnPort80()
    {
        var run = await AppRun.RunAsync("Orders.Api", new Dictionary<string, string?>(), "--urls", "http://127.0.0.1:5OO51");

        AppRun.AssertRefusedWithOneLine(run, 2, "Orders.Api: urls: 'http://127.0.0.1:5OO51' is not an address to listen on: ':5OO51' after the host is not ':' and a port from 0 to 65535");
        Assert.DoesNotContain("Now listening", run.Stdout, StringComparison.Ordinal);
    }
}
