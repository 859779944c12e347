using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Orders.Client.Hosting;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Client;

/// <summary>
/// A dns:///host:port address, or several endpoints in service discovery's configuration: the client as Orders.Client
/// builds it (ServiceDefaults included: service discovery and the resilience handlers it removes) spreads its calls over
/// every address, and moves off one that stops. Two real Orders.Api processes share a port on 127.0.0.1 and 127.0.0.2 (both loopback); the name is
/// resolved to both by a test resolver in place of DNS, since /etc/hosts is the machine's, not the test's.
/// </summary>
public sealed partial class ClientLoadBalancingTests
{
    private const int CallsWhileBothServe = 20;
    private const int MaxCallsAfterTheStop = 400;
    // A refused connection fails a call at once, faster than the balancer marks the address down: bound by time too.
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PauseAfterAFailure = TimeSpan.FromMilliseconds(50);
    private const int SuccessesInARowAfterTheStop = 10;
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    [Requires(Need.Process)]
    public async Task CallsSpreadOverBothAddressesOfTheName_AndMoveToTheOtherWhenOneStops()
    {
        var port = FreePort.Next();
        await using var first = await OrdersApiProcess.StartAsync(address: new Uri($"http://127.0.0.1:{port}"));
        await using var second = await OrdersApiProcess.StartAsync(address: new Uri($"http://127.0.0.2:{port}"));
        using var host = BalancedClientHost(new Uri($"dns:///orders-api.test:{port}"), first.Address, second.Address);

        await AssertCallsSpreadOverBoth_AndMoveToTheFirstWhenTheSecondStopsAsync(host, first, second);
    }

    [Fact]
    [Requires(Need.Process)]
    public async Task CallsSpreadOverTheEndpointsServiceDiscoveryLists_AndMoveToTheOtherWhenOneStops()
    {
        // What the AppHost gives orders-client: each replica's own address, on a port of its own.
        await using var first = await OrdersApiProcess.StartAsync();
        await using var second = await OrdersApiProcess.StartAsync();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:orders-api:http:0"] = first.Address.ToString(),
            ["services:orders-api:http:1"] = second.Address.ToString(),
        });
        builder.AddServiceDefaults();
        var address = OrdersApiAddress.Resolve(null, builder.Configuration);
        builder.Services.AddOrdersClient(address, discovered: OrdersApiAddress.DiscoveredEndpoints(builder.Configuration));
        using var host = builder.Build();

        Assert.Equal(OrdersApiAddress.ServiceDiscoveryName, address);
        await AssertCallsSpreadOverBoth_AndMoveToTheFirstWhenTheSecondStopsAsync(host, first, second);
    }

    private static async Task AssertCallsSpreadOverBoth_AndMoveToTheFirstWhenTheSecondStopsAsync(IHost host, OrdersApiProcess first, OrdersApiProcess second)
    {
        var client = host.Services.GetRequiredService<OrderManagementClient>();
        for (var i = 0; i < CallsWhileBothServe; i++)
        {
            await GetOrderAsync(client, $"lb-{i}");
        }

        var both = await ServedAsync([first, second], CallsWhileBothServe);
        // Round robin: about half each; a quarter leaves room for the calls made while the second connection opened.
        Assert.True(both[first].Count >= CallsWhileBothServe / 4 && both[second].Count >= CallsWhileBothServe / 4,
            $"{first.Address} served {both[first].Count}, {second.Address} served {both[second].Count} of {CallsWhileBothServe} calls.");

        await second.KillAsync();
        var failures = new List<string>();
        var inARow = 0;
        var calls = 0;
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        for (; calls < MaxCallsAfterTheStop && inARow < SuccessesInARowAfterTheStop && stopped.Elapsed < RecoveryBound; calls++)
        {
            try
            {
                await GetOrderAsync(client, $"lb-after-{calls}");
                inARow++;
            }
            catch (RpcException ex)
            {
                failures.Add($"{ex.StatusCode}: {ex.Status.Detail}");
                inARow = 0;
                await Task.Delay(PauseAfterAFailure);
            }
        }

        Assert.True(inARow == SuccessesInARowAfterTheStop,
            $"After the stop, {calls} calls in {stopped.Elapsed.TotalSeconds:0.0} s gave no {SuccessesInARowAfterTheStop} successes in a row; {failures.Count} failures: {string.Join(" | ", failures.Take(5))}");
        var lastCalls = Enumerable.Range(calls - SuccessesInARowAfterTheStop, SuccessesInARowAfterTheStop).Select(i => $"lb-after-{i}").ToHashSet();
        var afterTheStop = await ServedAsync([first], SuccessesInARowAfterTheStop, lastCalls);
        Assert.Equal(lastCalls, afterTheStop[first]);
    }

    [Fact]
    public void ABalancedClientRetriesUnavailableCallsThatMayRunTwice_AndNoOthers()
    {
        var channel = ChannelOptions(new Uri("dns:///orders-api:8080"));

        var retried = Assert.Single(channel.ServiceConfig!.MethodConfigs);
        Assert.Equal(["getOrder", "searchOrders", "updateOrders", "processOrders"], retried.Names.Select(n => n.Method));
        Assert.All(retried.Names, name => Assert.Equal("ecommerce.OrderManagement", name.Service));
        Assert.Equal([StatusCode.Unavailable], retried.RetryPolicy!.RetryableStatusCodes);
        Assert.Null(ChannelOptions(new Uri("http://orders-api:8080")).ServiceConfig);
    }

    [Fact]
    public async Task ReconnectingToAnAddressThatRefuses_WaitsTheInitialPauseFirst_ThenLonger_NeverBeyondTheMaximum()
    {
        // Nothing listens there: each connection attempt is refused at once, and the balancer tries again after a pause.
        using var services = InProcessOrdersClient.ForAddress(new Uri($"dns:///127.0.0.1:{FreePort.Next()}"), minimumLogLevel: LogLevel.Trace);
        var client = services.GetRequiredService<OrderManagementClient>();
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = "101" }, deadline: DateTime.UtcNow + CallDeadline).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);

        var pauses = await Eventually.HoldsAsync(() => Task.FromResult(ReconnectPauses(services)), found => found.Count >= 4, "four reconnect pauses", timeoutSeconds: 30);

        // grpc-dotnet's pauses start at its initial backoff (1 s), grow by 1.6 a time and vary by up to 20 % either way.
        const double Jitter = 0.2;
        var description = string.Join(", ", pauses.Select(p => $"{p.TotalMilliseconds:0} ms"));
        Assert.True(pauses[0] < ClientLoadBalancing.MaxReconnectBackoff * (1 - Jitter), $"The first pause is already the maximum's: {description}");
        Assert.True(pauses[1] > pauses[0], $"The pauses do not grow: {description}");
        Assert.All(pauses, pause => Assert.True(pause <= ClientLoadBalancing.MaxReconnectBackoff * (1 + Jitter), $"A pause beyond the maximum: {description}"));
    }

    /// <summary>The pauses before each new connection attempt, from Grpc.Net.Client's subchannel log (Trace), in order.</summary>
    private static List<TimeSpan> ReconnectPauses(ServiceProvider services) =>
    [
        .. services.GetFakeLogCollector().GetSnapshot()
            .Where(record => record.Id.Name == "StartingConnectBackoff")
            .Select(record => TimeSpan.Parse(record.GetStructuredStateValue("BackoffDuration")!, System.Globalization.CultureInfo.InvariantCulture)),
    ];

    [Fact]
    public void OnlyTheHttpAddressesListedForOrdersApiAreBalanced()
    {
        // A TLS endpoint would need a secure channel, and the balanced channel is h2c: it is left out, as is a non-URL.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:orders-api:http:0"] = "http://localhost:5001",
            ["services:orders-api:http:1"] = "https://localhost:5002",
            ["services:orders-api:http:2"] = "not a url",
            ["services:orders-api:http:3"] = "http://127.0.0.1:5003",
            ["services:other:http:0"] = "http://localhost:5004",
        }).Build();

        Assert.Equal([new Uri("http://localhost:5001"), new Uri("http://127.0.0.1:5003")], OrdersApiAddress.DiscoveredEndpoints(configuration));
    }

    [Theory]
    [InlineData("dns:///orders-api:8080", true)]
    [InlineData("http://orders-api:8080", false)]
    public void OnlyADnsAddressGetsTheRefreshingDnsResolver(string address, bool registered)
    {
        // Without it the channel falls back to a DNS resolver that resolves again only when a connection fails.
        var services = new ServiceCollection().AddOrdersClient(new Uri(address));

        Assert.Equal(registered, services.Any(service => service.ServiceType == typeof(ResolverFactory) && service.ImplementationInstance is DnsResolverFactory));
    }

    /// <summary>The channel options the gRPC client factory gives Orders.Client's channel for <paramref name="address"/>.</summary>
    private static GrpcChannelOptions ChannelOptions(Uri address)
    {
        using var services = new ServiceCollection().AddOrdersClient(address).BuildServiceProvider();
        var factory = services.GetRequiredService<IOptionsMonitor<GrpcClientFactoryOptions>>().Get(typeof(OrderManagementClient).Name);
        var options = new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler() };
        foreach (var configure in factory.ChannelOptionsActions)
        {
            configure(options);
        }

        return options;
    }

    private static async Task GetOrderAsync(OrderManagementClient client, string requestId)
    {
        var order = await client.getOrderAsync(new StringValue { Value = "101" }, new Metadata { { "x-request-id", requestId } }, DateTime.UtcNow + CallDeadline);
        Assert.Equal("101", order.Id);
    }

    /// <summary>Orders.Client's host, ServiceDefaults and all, with <paramref name="servers"/> as what the name resolves to.</summary>
    private static IHost BalancedClientHost(Uri address, params Uri[] servers)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddServiceDefaults();
        builder.Services.AddOrdersClient(address);
        builder.Services.RemoveAll<ResolverFactory>();
        builder.Services.AddSingleton<ResolverFactory>(new DnsNameResolverFactory(
            new StaticResolverFactory(_ => [.. servers.Select(server => new BalancerAddress(server.Host, server.Port))])));
        return builder.Build();
    }

    /// <summary>Which request ids each server logged as ended, once <paramref name="expected"/> of <paramref name="among"/> (all when null) were seen.</summary>
    private static async Task<Dictionary<OrdersApiProcess, HashSet<string>>> ServedAsync(
        OrdersApiProcess[] servers, int expected, HashSet<string>? among = null)
    {
        Dictionary<OrdersApiProcess, HashSet<string>> Served() => servers.ToDictionary(server => server, server =>
            EndedCall().Matches(server.Output).Select(match => match.Groups["id"].Value).Where(id => among?.Contains(id) ?? true).ToHashSet());

        return await Eventually.HoldsAsync(() => Task.FromResult(Served()), served => served.Values.Sum(ids => ids.Count) >= expected,
            $"the servers' end-of-call lines of {expected} calls", timeoutSeconds: 30);
    }

    [GeneratedRegex(@" ended .*; request id (?<id>lb-[a-z0-9-]+)\r?$", RegexOptions.Multiline)]
    private static partial Regex EndedCall();

    /// <summary>Answers for the "dns" scheme with what the wrapped resolver returns.</summary>
    private sealed class DnsNameResolverFactory(ResolverFactory inner) : ResolverFactory
    {
        public override string Name => OrdersApiAddress.DnsScheme;

        public override Resolver Create(ResolverOptions options) => inner.Create(options);
    }
}
