using System.Net;
using System.Net.Sockets;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy that holds each new connection's first bytes toward the server for <see cref="Hold"/>, as a
/// slow network path or a queueing load balancer would, then relays both ways untouched. Disposing it stops everything.
/// </summary>
public sealed class HoldingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> relays = [];
    private readonly Task accepting;
    private int heldConnections;

    public HoldingTcpProxy(int targetPort, TimeSpan hold)
    {
        this.targetPort = targetPort;
        Hold = hold;
        listener.Start();
        accepting = AcceptAsync();
    }

    public TimeSpan Hold { get; }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    /// <summary>Connections whose first bytes were held: one per connection the client opened.</summary>
    public int HeldConnections => Volatile.Read(ref heldConnections);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                lock (relays)
                {
                    relays.Add(RelayAsync(client));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: no more connections.
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
                var toServer = HoldThenCopyAsync(client.GetStream(), server.GetStream());
                var toClient = server.GetStream().CopyToAsync(client.GetStream(), stop.Token);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The client, the server or the test ended the connection.
            }
        }
    }

    private async Task HoldThenCopyAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            var first = new byte[64 * 1024];
            var read = await from.ReadAsync(first, stop.Token);
            Interlocked.Increment(ref heldConnections);
            await Task.Delay(Hold, stop.Token);
            await to.WriteAsync(first.AsMemory(0, read), stop.Token);
            await from.CopyToAsync(to, stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Either side went away while this direction was still open.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] running;
        lock (relays)
        {
            running = [.. relays];
        }

        await Task.WhenAll(running);
        stop.Dispose();
    }
}
