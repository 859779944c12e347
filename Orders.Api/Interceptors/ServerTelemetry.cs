using System.Diagnostics;
using OrdersAspire.Shared;

namespace Orders.Api.Interceptors;

/// <summary>The server span's ActivitySource; the names it uses are in <see cref="RpcSemanticConventions"/> (docs/telemetry.md).</summary>
public static class ServerTelemetry
{
    public static readonly ActivitySource ActivitySource = new(RpcSemanticConventions.OrdersApiSource);
}
