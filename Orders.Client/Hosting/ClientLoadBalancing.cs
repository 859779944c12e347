using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orders.Client.Hosting;

/// <summary>
/// Client-side balancing for a <c>dns:///host:port</c> address: one HTTP/2 connection per address the name resolves
/// to, calls spread round robin over those that answer. gRPC keeps a connection for as long as it can, so without this
/// every call of a client lands on whichever replica its one connection reached.
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

    public static IHttpClientBuilder BalanceOverEveryAddress(this IHttpClientBuilder client)
    {
        client.Services.AddSingleton<ResolverFactory>(new DnsResolverFactory(DnsRefreshInterval));
        return client.ConfigureChannel(channel =>
        {
            // A dns:/// address names no scheme: the channel is plaintext HTTP/2 (h2c), as Orders.Api serves by default.
            channel.Credentials = ChannelCredentials.Insecure;
            channel.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
            // ServiceDefaults adds service discovery to every HttpClient, and with it that marker. Here the channel
            // resolves the name and requests carry the picked IP address, which discovery passes through unchanged.
            Innermost(channel.HttpHandler)?.Properties.Remove(LoadBalancingDisabledProperty);
        });
    }

    private static SocketsHttpHandler? Innermost(HttpMessageHandler? handler) => handler switch
    {
        SocketsHttpHandler sockets => sockets,
        DelegatingHandler delegating => Innermost(delegating.InnerHandler),
        _ => null,
    };
}
