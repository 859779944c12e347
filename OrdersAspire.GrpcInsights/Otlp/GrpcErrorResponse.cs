using System.Globalization;
using Google.Protobuf;
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

    /// <summary>With the rich status (its details, e.g. a RetryInfo) in grpc-status-details-bin, where gRPC clients read it.</summary>
    public static Task WriteAsync(HttpContext context, Google.Rpc.Status status)
    {
        context.Response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
        return WriteAsync(context, (StatusCode)status.Code, status.Message);
    }
}
