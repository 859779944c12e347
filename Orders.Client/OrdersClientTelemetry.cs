using System.Diagnostics;
using OrdersAspire.Shared;

namespace Orders.Client;

/// <summary>The client's own spans: one root span per CLI command or scenario step, parent of that step's gRPC client spans.</summary>
public static class OrdersClientTelemetry
{
    public const string SourceName = RpcSemanticConventions.OrdersClientSource;

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a new trace, even if a span is current, so every command or step is a trace of its own.</summary>
    public static Activity? StartRootActivity(string name)
    {
        Activity.Current = null;
        return Source.StartActivity(name, ActivityKind.Internal, parentContext: default);
    }
}
