using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orders.Api.Storage;

/// <summary>
/// Readiness: the service is only useful while its store answers, for writes too. The ping re-tests the path that last
/// failed (<see cref="IOrderStore.PingAsync"/>), so readiness returns without client traffic, which a load balancer
/// withholds from a service that is not ready.
/// </summary>
public sealed class OrderStoreHealthCheck(IOrderStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (OrderStoreUnavailableException ex)
        {
            // The reason, not the exception: probes come every few seconds.
            return HealthCheckResult.Unhealthy($"The order store is unavailable: {ex.InnerException?.Message ?? ex.Message}");
        }
    }
}
