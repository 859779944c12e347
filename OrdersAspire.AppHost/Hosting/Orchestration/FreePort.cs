using System.Net;
using System.Net.Sockets;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>Asks the OS for an unused loopback port, as Aspire's dynamic endpoints do.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
