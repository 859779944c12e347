using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orders.Api.Storage;

/// <summary>
/// Readiness: the service is only useful while its store answers, for writes too. The ping re-tests the path that last
/// failed (<see cref="IOrderStore.PingAsync"/>), so readiness recovers without client traffic, which a load balancer
/// withholds from a service that is not ready.
/// </summary>
public sealed class OrderStoreHealthCheck(IOrderStore store, OrderStoreAvailability availability) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
        }
        catch (OrderStoreUnavailableException ex)
        {
            // The reason, not the exception: probes come every few seconds.
            return Unhealthy(ex.InnerException?.Message ?? ex.Message);
        }

        // A read answers while writes may still fail (a full disk): not ready until one of them works.
        return availability.IsUnavailable ? Unhealthy(availability.Reason) : HealthCheckResult.Healthy();
    }

    private static HealthCheckResult Unhealthy(string reason) => HealthCheckResult.Unhealthy($"The order store is unavailable: {reason}");
}
