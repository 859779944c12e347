using Ecommerce;

namespace Orders.Tests.Api;

/// <summary>Gives each test its own in-process Orders.Api (fresh temp database, sample orders seeded) and a client.</summary>
public abstract class InProcessApiTest : IAsyncLifetime
{
    protected OrdersApiFactory Factory { get; private set; } = null!;

    protected OrderManagement.OrderManagementClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Factory = CreateFactory();
        Client = Factory.CreateOrdersClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    protected virtual OrdersApiFactory CreateFactory() => new();
}
