using System.Net;

namespace OrdersAspire.GrpcInsights.Configuration;

/// <summary>What a listening socket serves; each kind gets its own port so the protocols never mix.</summary>
public enum EndpointKind
{
    Frontend,
    OtlpGrpc,
    OtlpHttp,
}

/// <summary>One configured address of the insights.</summary>
public sealed record InsightsEndpoint(EndpointKind Kind, Uri Url)
{
    /// <summary>Only loopback addresses count as private; "localhost" resolves to loopback by definition.</summary>
    public bool IsLoopback => Url.IsLoopback
        || (IPAddress.TryParse(Url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
