using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace OrdersAspire.AppHost;

/// <summary>
/// The addresses of the Aspire dashboard and of the AppHost's resource service (set in appsettings.json, overridable
/// like any setting) are fixed ports: one already taken would only surface later as a failed dashboard or a crashed
/// AppHost, so each is checked up front.
/// </summary>
internal static class DashboardPorts
{
    /// <summary>Each address's configuration key and what listens there.</summary>
    public static IReadOnlyList<(string Key, string Serves)> Addresses { get; } =
    [
        ("ASPNETCORE_URLS", "the dashboard"),
        ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "the dashboard's OTLP/gRPC"),
        ("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "the dashboard's OTLP/HTTP"),
        ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "the AppHost's resource service"),
    ];

    public static void EnsureFree(IConfiguration configuration)
    {
        foreach (var (key, _) in Addresses)
        {
            foreach (var url in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port > 0 && IsTaken(uri))
                {
                    throw new AppHostSettingsException($"{key}: port {uri.Port} of {url} is already in use (another AppHost still running?); stop that process or choose other ports (see docs/apphost.md, \"Dashboard ports\").");
                }
            }
        }
    }

    private static bool IsTaken(Uri uri)
    {
        var address = uri.Host is "localhost" || !IPAddress.TryParse(uri.Host, out var parsed) ? IPAddress.Loopback : parsed;
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel does on Linux, so a port left in TIME_WAIT by the last run does not count as taken.
        probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            probe.Bind(new IPEndPoint(address, uri.Port));
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return true;
        }
    }
}
