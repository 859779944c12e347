using System.Diagnostics;
using OpenTelemetry;
using OrdersAspire.Shared;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Gives the Grpc.Net.Client span the experimental RPC attributes the Aspire dashboard reads to show a span as
/// "RPC service/method status": GrpcNetClient 1.20.1-beta.1 writes only the newer set (rpc.system.name, full
/// rpc.method, string rpc.response.status_code). Runs when the span ends, after the instrumentation's last tag.
/// </summary>
internal sealed class GrpcClientSpanEnricher : BaseProcessor<Activity>
{
    public const string GrpcNetClientSource = "OpenTelemetry.Instrumentation.GrpcNetClient";

    public override void OnEnd(Activity data)
    {
        // Once only: every tracer provider in a process (tests host several) sees the same span.
        if (data.Source.Name != GrpcNetClientSource
            || data.GetTagItem(RpcSemanticConventions.RpcSystem) is not null
            || data.GetTagItem(RpcSemanticConventions.RpcMethod) is not string method)
        {
            return;
        }

        // The older set only: the instrumentation wrote the newer names itself (OTEL_SEMCONV_STABILITY_OPT_IN or not).
        foreach (var tag in RpcSemanticConventions.CallIdentity(method, newerNames: false))
        {
            data.SetTag(tag.Key, tag.Value);
        }

        if (GrpcStatusNames.CodeOf(data.GetTagItem(RpcSemanticConventions.ResponseStatusCode) as string) is { } code)
        {
            data.SetTag(RpcSemanticConventions.GrpcStatusCode, code);
        }
    }
}
