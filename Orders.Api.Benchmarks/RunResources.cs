using OrdersAspire.TestHarness;

namespace Orders.Api.Benchmarks;

/// <summary>Every process a part of the run started, stopped at its end whatever happened, the last started first.</summary>
internal sealed class RunResources : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> started = new();

    public T Add<T>(T resource)
        where T : IAsyncDisposable
    {
        started.Push(resource);
        return resource;
    }

    public (ServerProcess Server, Uri Address) Add((ServerProcess Server, Uri Address) server)
    {
        started.Push(server.Server);
        return server;
    }

    public void Add(PostgresProcess postgres) => started.Push(new Stopping(postgres.DisposeAsync));

    public async ValueTask DisposeAsync()
    {
        while (started.TryPop(out var resource))
        {
            await resource.DisposeAsync();
        }
    }

    private sealed class Stopping(Func<Task> stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await stop();
    }
}
