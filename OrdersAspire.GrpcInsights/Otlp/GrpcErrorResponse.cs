using System.Globalization;
using Grpc.Core;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>A gRPC failure written before any gRPC handler runs: a trailers-only response, as gRPC clients expect.</summary>
internal static class GrpcErrorResponse
{
    public static Task WriteAsync(HttpContext context, StatusCode code, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }
}
