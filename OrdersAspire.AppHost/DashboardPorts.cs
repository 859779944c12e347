using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace OrdersAspire.AppHost;

/// <summary>
/// The Aspire dashboard's addresses (the launch profile's <c>applicationUrl</c> and OTLP variables) are fixed ports:
/// one already taken would only surface later as a failed dashboard, so it is checked up front.
/// </summary>
internal static class DashboardPorts
{
    private static readonly string[] Keys = ["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"];

    public static void EnsureFree(IConfiguration configuration)
    {
        foreach (var key in Keys)
        {
            foreach (var url in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port > 0 && IsTaken(uri))
                {
                    throw new AppHostSettingsException($"{key}: port {uri.Port} of {url} is already in use (another AppHost still running?); stop that process or choose other ports (see README, \"Dashboard ports\").");
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
