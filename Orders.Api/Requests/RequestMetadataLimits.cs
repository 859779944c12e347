using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Orders.Api.Interceptors;
using Orders.Api.Options;

namespace Orders.Api.Requests;

/// <summary>
/// The service's own limits on a call's request metadata (<see cref="MetadataOptions"/>): a gRPC call past them is
/// refused RESOURCE_EXHAUSTED with a message naming the limit (a <see cref="CallRefusal"/>, so it is observed like any
/// other bad input). Kestrel's limits sit above these; past them it closes the connection instead.
/// </summary>
public static class RequestMetadataLimits
{
    public static WebApplication UseRequestMetadataLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<OrdersOptions>>().Value.Metadata;
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null && Exceeded(context.Request.Headers, limits) is { } status)
            {
                CallRefusal.Set(context, status);
            }

            return next(context);
        });
        return app;
    }

    /// <summary>RESOURCE_EXHAUSTED naming the limit the headers are past, or null.</summary>
    public static Status? Exceeded(IHeaderDictionary headers, MetadataOptions limits)
    {
        var entries = 0;
        var bytes = 0L;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                entries++;
                bytes += name.Length + (value?.Length ?? 0);
            }
        }

        return entries > limits.MaxEntries
            ? new Status(StatusCode.ResourceExhausted,
                $"The request carries {entries} metadata entries; at most {limits.MaxEntries} are accepted ({OrdersOptions.SectionName}:Metadata:MaxEntries).")
            : bytes > limits.MaxTotalBytes
            ? new Status(StatusCode.ResourceExhausted,
                $"The request metadata is {bytes} bytes; at most {limits.MaxTotalBytes} are accepted ({OrdersOptions.SectionName}:Metadata:MaxTotalBytes).")
            : null;
    }
}
