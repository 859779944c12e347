using OrdersAspire.GrpcInsights.Configuration;

namespace OrdersAspire.GrpcInsights.Security;

/// <summary>Endpoint metadata: the listening endpoint kind a route may be reached on (routes without it are frontend routes).</summary>
public sealed record EndpointKindMetadata(EndpointKind Kind);
