namespace Orders.Api.Interceptors;

/// <summary>Which OpenTelemetry RPC attribute set(s) to emit, chosen like GrpcNetClient does via OTEL_SEMCONV_STABILITY_OPT_IN.</summary>
public sealed record RpcConventions(bool EmitExperimental, bool EmitNew)
{
    public const string OptInKey = "OTEL_SEMCONV_STABILITY_OPT_IN";

    public static RpcConventions FromOptIn(string? optIn)
    {
        var values = optIn?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        var duplicate = values.Contains("rpc/dup");
        var newOnly = values.Contains("rpc");
        return new RpcConventions(EmitExperimental: duplicate || !newOnly, EmitNew: duplicate || newOnly);
    }
}
