using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>The health endpoints every service maps (<see cref="Extensions.MapDefaultEndpoints"/>) and what they report.</summary>
public static class HealthEndpoints
{
    /// <summary>Readiness: every registered check, including what the service needs (its store).</summary>
    public const string HealthPath = "/health";

    /// <summary>Liveness: only the checks tagged <see cref="LiveTag"/>.</summary>
    public const string AlivePath = "/alive";

    /// <summary>The tag of the checks that say only whether the process runs (liveness), not whether what it needs answers.</summary>
    public const string LiveTag = "live";

    /// <summary>True for a request to a health endpoint: probes carry no credentials and need no span.</summary>
    public static bool IsProbe(HttpRequest request) =>
        request.Path.StartsWithSegments(HealthPath) || request.Path.StartsWithSegments(AlivePath);
}
