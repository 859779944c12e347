using OrdersAspire.TestHarness;

namespace Orders.Tests.Infrastructure;

/// <summary>The Python grpcio server of the same contract, as the original service was, shared by a test class.</summary>
public sealed class PythonOrdersServer : IAsyncLifetime
{
    private ServerProcess? server;

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync() => (server, Address) = await PythonContract.StartServerAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
