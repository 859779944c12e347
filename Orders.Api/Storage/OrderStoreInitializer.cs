using Microsoft.Extensions.Options;
using Orders.Api.Options;

namespace Orders.Api.Storage;

/// <summary>Creates the schema (and seeds) before Kestrel accepts the first call.</summary>
public sealed class OrderStoreInitializer(IOrderStore store, IOptions<OrdersOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        store.InitializeAsync(options.Value.SeedSampleData, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
