using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orders.Api.Storage;

/// <summary>Readiness: the service is only useful while its store answers.</summary>
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
            // The reason, not the exception: probes come every few seconds and each unhealthy result is logged.
            return HealthCheckResult.Unhealthy($"The order store is unavailable: {ex.InnerException?.Message ?? ex.Message}");
        }
    }
}
