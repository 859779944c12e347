using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orders.Client.Interceptors;

namespace Orders.Client.Hosting;

/// <summary>What the client shows and trusts: the bearer token sent with every call, and the CA certificates that may vouch for the server's TLS certificate.</summary>
/// <param name="Token"><c>--token</c>, else <see cref="TokenKey"/>; no authorization metadata when null.</param>
/// <param name="TrustedCa"><c>--ca</c>: trusted instead of the system's roots; the system's roots when null.</param>
public sealed record ClientCredentials(string? Token, X509Certificate2Collection? TrustedCa)
{
    /// <summary>Configuration key of the token, e.g. the environment variable <c>Orders__Client__Token</c>, which <c>ps</c> does not show.</summary>
    public const string TokenKey = $"{ClientCallOptions.SectionName}:{nameof(ClientCallOptions.Token)}";

    public static readonly ClientCredentials None = new(null, null);
}

public static class ClientCredentialsExtensions
{
    public static IHttpClientBuilder UseCredentials(this IHttpClientBuilder client, ClientCredentials credentials)
    {
        if (credentials.Token is { } token)
        {
            // Call credentials add the header below the interceptors, so the client's own logs never see it.
            client.AddCallCredentials((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {token}");
                return Task.CompletedTask;
            });
            // grpc-dotnet sends call credentials over TLS only unless told otherwise; the lab runs h2c on loopback.
            client.ConfigureChannel(channel => channel.UnsafeUseInsecureChannelCallCredentials = true);
        }

        if (credentials.TrustedCa is { } trustedCa)
        {
            client.ConfigurePrimaryHttpMessageHandler((handler, _) => Trust((SocketsHttpHandler)handler, trustedCa));
        }

        return client;
    }

    /// <summary>Like curl's --cacert: the chain must end at one of these certificates; the host name is still checked.</summary>
    private static void Trust(SocketsHttpHandler handler, X509Certificate2Collection trustedCa)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // A development CA publishes no revocation list.
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(trustedCa);
        handler.SslOptions.CertificateChainPolicy = policy;
    }
}
