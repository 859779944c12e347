using System.Diagnostics;
using OrdersAspire.Shared;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps a gRPC call's server span named as the RPC ("ecommerce.OrderManagement/getOrder"). The server's interceptor
/// makes ASP.NET Core's request span the call's and names it so; when the request ends, the ASP.NET Core
/// instrumentation renames it from the route ("POST /ecommerce.OrderManagement/getOrder") and then calls this. A
/// request the interceptor never saw (no <c>rpc.system</c>: an unknown method, a health probe) keeps the HTTP name.
/// </summary>
internal static class GrpcServerSpanName
{
    /// <summary>Grpc.AspNetCore's own tag on the request span: the method as on the wire, "/ecommerce.OrderManagement/getOrder".</summary>
    public const string GrpcMethodTag = "grpc.method";

    /// <summary>Grpc.AspNetCore's own tag on the request span: the status code as a string, "5".</summary>
    public const string GrpcStatusCodeTag = "grpc.status_code";

    public static void Restore(Activity span)
    {
        if (span.GetTagItem(RpcSemanticConventions.RpcSystem) is RpcSemanticConventions.GrpcSystem
            && span.GetTagItem(GrpcMethodTag) is string wireMethod)
        {
            span.DisplayName = RpcSemanticConventions.SpanName(wireMethod);
        }
    }
}
