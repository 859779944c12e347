using System.Net;
using System.Net.Sockets;

namespace OrdersAspire.TestHarness;

/// <summary>
/// Asks the OS for an unused loopback port (tests never use fixed ports). The OS may offer a port again once its
/// listener is closed, before whoever it was handed to binds it; so no port is handed out twice in one test run.
/// </summary>
public static class FreePort
{
    private const int MaxTries = 1000;
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < MaxTries; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                if (HandedOut.Add(((IPEndPoint)listener.LocalEndpoint).Port))
                {
                    return ((IPEndPoint)listener.LocalEndpoint).Port;
                }
            }
        }

        throw new InvalidOperationException($"No loopback port not handed out before was offered in {MaxTries} tries.");
    }
}
