using Microsoft.Extensions.Configuration;

namespace Orders.Client.Hosting;

/// <summary>Where the client finds Orders.Api when no <c>--address</c> is given.</summary>
public static class OrdersApiAddress
{
    /// <summary>
    /// The address when <c>services:orders-api:http:0</c> is configured (what an AppHost injects): its http:// endpoints
    /// are balanced round robin (<see cref="DiscoveredEndpoints"/>), others resolved by Microsoft.Extensions.ServiceDiscovery.
    /// </summary>
    public static readonly Uri ServiceDiscoveryName = new("http://orders-api");

    /// <summary>Where <c>dotnet run --project Orders.Api</c> listens.</summary>
    public static readonly Uri LocalDefault = new("http://localhost:50051");

    /// <summary>The scheme of <c>dns:///host:port</c>: every address the name resolves to, balanced (<see cref="ClientLoadBalancing"/>).</summary>
    public const string DnsScheme = "dns";

    /// <summary>The http endpoints of orders-api, one child per address: <c>services:orders-api:http:0</c>, <c>:1</c>, …</summary>
    private const string DiscoverySection = "services:orders-api:http";

    private const string DiscoveryConfigKey = $"{DiscoverySection}:0";

    public static bool IsDnsName(Uri address) => address.Scheme == DnsScheme;

    /// <summary>Why <paramref name="value"/> is no address the client can use, or null when it is one.</summary>
    public static string? Problem(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or DnsScheme))
        {
            return $"'{value}' is not an http://, https:// or dns:///host:port address.";
        }

        return IsDnsName(uri) && !IsDnsHostAndPort(uri)
            ? $"'{value}' is not of the form dns:///host:port (e.g. dns:///orders-api:8080): the port is required."
            : null;
    }

    /// <summary>dns:///host:port, with no DNS server named (the system's resolver answers) and an explicit port.</summary>
    private static bool IsDnsHostAndPort(Uri uri)
    {
        var target = uri.OriginalString[(DnsScheme.Length + 1)..];
        if (!target.StartsWith("///", StringComparison.Ordinal))
        {
            return false;
        }

        var hostAndPort = target[3..];
        var colon = hostAndPort.LastIndexOf(':');
        return colon > 0
            && Uri.CheckHostName(hostAndPort[..colon]) != UriHostNameType.Unknown
            && int.TryParse(hostAndPort[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535;
    }

    /// <summary>
    /// Every http:// address service discovery's configuration lists for orders-api; an AppHost lists each replica's own.
    /// Entries that are not absolute http:// URLs are left out.
    /// </summary>
    public static IReadOnlyList<Uri> DiscoveredEndpoints(IConfiguration configuration) =>
        [.. configuration.GetSection(DiscoverySection).GetChildren()
            .Select(entry => Uri.TryCreate(entry.Value, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .Where(uri => uri.Scheme == "http")];

    public static Uri Resolve(string? explicitAddress, IConfiguration configuration) =>
        explicitAddress is not null ? new Uri(explicitAddress)
        : string.IsNullOrWhiteSpace(configuration[DiscoveryConfigKey]) ? LocalDefault
        : ServiceDiscoveryName;
}
