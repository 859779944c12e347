using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>
/// Binds an OTLP Export method with a request marshaller that turns unparseable bytes into INVALID_ARGUMENT with the
/// parser's reason — the generated binding would report a bare UNKNOWN "Exception was thrown by handler.".
/// </summary>
internal sealed class OtlpExportMethodProvider<TService, TRequest, TResponse>(
    string serviceName, MessageParser<TRequest> parser, UnaryServerMethod<TService, TRequest, TResponse> export) : IServiceMethodProvider<TService>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var method = new Method<TRequest, TResponse>(
            MethodType.Unary,
            serviceName,
            "Export",
            Marshallers.Create(request => request.ToByteArray(), Parse),
            Marshallers.Create<TResponse>(response => response.ToByteArray(), _ => throw new NotSupportedException("The receiver never reads responses.")));
        context.AddUnaryMethod(method, [], export);
    }

    private TRequest Parse(byte[] bytes)
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"The request is not a valid {typeof(TRequest).Name} protobuf message: {e.Message}"));
        }
    }
}
