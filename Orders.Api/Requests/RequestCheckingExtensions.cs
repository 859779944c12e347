using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OrdersAspire.Shared.GrpcFrames;

namespace Orders.Api.Requests;

/// <summary>Puts <see cref="CheckedRequestBody"/> in front of every method of a mapped gRPC service.</summary>
public static class RequestCheckingExtensions
{
    /// <param name="service">The service's descriptor: where each method's request type is found.</param>
    public static TBuilder CheckRequestFrames<TBuilder>(this TBuilder builder, Google.Protobuf.Reflection.ServiceDescriptor service) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            // The service's catch-all for unknown methods has no gRPC method, and no request type to check.
            if (endpoint.Metadata.OfType<GrpcMethodMetadata>().FirstOrDefault() is not { } grpc || endpoint.RequestDelegate is not { } handleCall)
            {
                return;
            }

            var options = endpoint.ApplicationServices.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
            var frames = new GrpcFrameRules(options.MaxReceiveMessageSize ?? int.MaxValue, limitSetting: null, options.CompressionProviders);
            var rules = new RequestFrameRules(service.FindMethodByName(grpc.Method.Name).InputType, frames);
            var singleMessage = grpc.Method.Type is MethodType.Unary or MethodType.ServerStreaming;
            endpoint.RequestDelegate = httpContext =>
            {
                // Request.BodyReader, not the feature: a host (TestServer) may offer only a body stream, which it adapts.
                var body = httpContext.Request.BodyReader;
                httpContext.Features.Set<IRequestBodyPipeFeature>(new CheckedRequestBody(body, rules, singleMessage, httpContext));
                return handleCall(httpContext);
            };
        });
        return builder;
    }
}
