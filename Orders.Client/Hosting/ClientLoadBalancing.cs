using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orders.Client.Hosting;

/// <summary>
/// Client-side balancing over several addresses of Orders.Api: those a <c>dns:///host:port</c> name resolves to, or
/// those service discovery's configuration lists (an AppHost lists each replica's own). One HTTP/2 connection per
/// address, calls spread round robin over those that answer. gRPC keeps a connection for as long as it can, so without
/// this every call of a client lands on whichever replica its one connection reached.
/// </summary>
public static class ClientLoadBalancing
{
    /// <summary>How often the name is resolved again (besides after a connection fails), so replicas added later get calls.</summary>
    public static readonly TimeSpan DnsRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The SocketsHttpHandler property through which Microsoft.Extensions.ServiceDiscovery tells Grpc.Net.Client not
    /// to balance: the discovery handler rewrites an http:// address's host itself, which the balancer would undo.
    /// </summary>
    private const string LoadBalancingDisabledProperty = "__GrpcLoadBalancingDisabled";

    /// <summary>
    /// Calls that may run twice without changing the outcome: reads and upserts by id. addOrder (a new id each time) and
    /// deleteOrder (NOT_FOUND the second time) are never retried.
    /// </summary>
    public static readonly IReadOnlyList<string> RetriedMethods = ["getOrder", "searchOrders", "updateOrders", "processOrders"];

    /// <summary>
    /// The longest pause between attempts to reconnect to an address that stopped answering (grpc-dotnet's default grows
    /// to 2 minutes): a replica back from a restart gets its calls again within seconds.
    /// </summary>
    public static readonly TimeSpan MaxReconnectBackoff = TimeSpan.FromSeconds(2);

    /// <summary>The channel's address for the endpoints of <see cref="OrdersApiAddress.DiscoveredEndpoints"/>, answered by <see cref="StaticResolverFactory"/>.</summary>
    public static readonly Uri DiscoveredEndpointsAddress = new("static:///orders-api");

    /// <summary>Round robin over what <paramref name="resolver"/> answers for the channel's address (its scheme picks the resolver).</summary>
    public static IHttpClientBuilder BalanceOverEveryAddress(this IHttpClientBuilder client, ResolverFactory resolver)
    {
        client.Services.AddSingleton(resolver);
        return client.ConfigureChannel(channel =>
        {
            // A dns:/// or static:/// address names no scheme: the channel is plaintext HTTP/2 (h2c), as Orders.Api serves by default.
            channel.Credentials = ChannelCredentials.Insecure;
            channel.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() }, MethodConfigs = { RetriedOnAnotherAddress() } };
            channel.MaxReconnectBackoff = MaxReconnectBackoff;
            // ServiceDefaults adds service discovery to every HttpClient, and with it that marker. Here the channel
            // resolves the name and requests carry the picked address, which discovery passes through unchanged.
            Innermost(channel.HttpHandler)?.Properties.Remove(LoadBalancingDisabledProperty);
        });
    }

    /// <summary>
    /// An UNAVAILABLE call is tried again on the next address. A replica that died while the name still resolves to it
    /// stays a pick until its dead connection is torn down (seconds, longer under load), and each pick fails at once.
    /// </summary>
    private static MethodConfig RetriedOnAnotherAddress()
    {
        var config = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 3,
                InitialBackoff = TimeSpan.FromMilliseconds(50),
                MaxBackoff = TimeSpan.FromMilliseconds(500),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var method in RetriedMethods)
        {
            config.Names.Add(new MethodName { Service = Ecommerce.OrderManagement.Descriptor.FullName, Method = method });
        }

        return config;
    }

    private static SocketsHttpHandler? Innermost(HttpMessageHandler? handler) => handler switch
    {
        SocketsHttpHandler sockets => sockets,
        DelegatingHandler delegating => Innermost(delegating.InnerHandler),
        _ => null,
    };
}
