using Microsoft.Extensions.Configuration;

namespace Orders.Client.Hosting;

/// <summary>Where the client finds Orders.Api when no <c>--address</c> is given.</summary>
public static class OrdersApiAddress
{
    /// <summary>Resolved by Microsoft.Extensions.ServiceDiscovery from <c>services:orders-api:http:0</c> (what an AppHost injects).</summary>
    public static readonly Uri ServiceDiscoveryName = new("http://orders-api");

    /// <summary>Where <c>dotnet run --project Orders.Api</c> listens.</summary>
    public static readonly Uri LocalDefault = new("http://localhost:50051");

    private const string DiscoveryConfigKey = "services:orders-api:http:0";

    public static Uri Resolve(string? explicitAddress, IConfiguration configuration) =>
        explicitAddress is not null ? new Uri(explicitAddress)
        : string.IsNullOrWhiteSpace(configuration[DiscoveryConfigKey]) ? LocalDefault
        : ServiceDiscoveryName;
}
