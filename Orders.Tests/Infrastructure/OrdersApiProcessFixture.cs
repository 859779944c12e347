namespace Orders.Tests.Infrastructure;

/// <summary>One Orders.Api process (fault injection on, sample orders seeded) shared by a test class.</summary>
public sealed class OrdersApiProcessFixture : IAsyncLifetime
{
    private OrdersApiProcess? api;

    public OrdersApiProcess Api => api ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => api = await OrdersApiProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (api is not null)
        {
            await api.DisposeAsync();
        }
    }
}
