using System.Diagnostics;
using OpenTelemetry;
using OrdersAspire.Shared;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Takes Grpc.AspNetCore's own <c>grpc.method</c> and <c>grpc.status_code</c> off a gRPC call's server span when it
/// ends: they repeat <c>rpc.service</c>/<c>rpc.method</c> and <c>rpc.grpc.status_code</c>, and every exporter and
/// receiver would carry them for nothing (OpenTelemetry's ASP.NET Core gRPC support drops them too). Runs after the
/// ASP.NET Core instrumentation's last enrichment (<see cref="GrpcServerSpanName"/> reads <c>grpc.method</c>). A request
/// the interceptor never made a call's span (no <c>rpc.system</c>) keeps them.
/// </summary>
internal sealed class GrpcServerSpanTrimmer : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Kind == ActivityKind.Server && data.GetTagItem(RpcSemanticConventions.RpcSystem) is RpcSemanticConventions.GrpcSystem)
        {
            data.SetTag(GrpcServerSpanName.GrpcMethodTag, null);
            data.SetTag(GrpcServerSpanName.GrpcStatusCodeTag, null);
        }
    }
}
