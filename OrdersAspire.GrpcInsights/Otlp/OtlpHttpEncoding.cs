using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>
/// The two bodies OTLP/HTTP defines: binary protobuf and the protobuf JSON mapping. Every response, failures
/// included (a google.rpc.Status), goes back in the encoding the request used.
/// </summary>
internal abstract class OtlpHttpEncoding(string contentType)
{
    public static readonly OtlpHttpEncoding Protobuf = new ProtobufEncoding();
    public static readonly OtlpHttpEncoding Json = new JsonEncoding();

    public string ContentType => contentType;

    /// <summary>The encoding named by a Content-Type header, or null when it is neither OTLP body type.</summary>
    public static OtlpHttpEncoding? FromContentType(string? header) =>
        MediaTypeHeaderValue.TryParse(header, out var mediaType) ? mediaType.MediaType?.ToLowerInvariant() switch
        {
            "application/x-protobuf" => Protobuf,
            "application/json" => Json,
            _ => null,
        } : null;

    /// <summary>Decodes an export request; throws <see cref="FormatException"/> with a sender-readable reason.</summary>
    public abstract TRequest Parse<TRequest>(MessageParser<TRequest> parser, byte[] body) where TRequest : IMessage<TRequest>, new();

    public IResult Response(IMessage message, int statusCode = StatusCodes.Status200OK) =>
        new EncodedMessage(Encode(message), ContentType, statusCode);

    public IResult Failure(int httpStatus, StatusCode code, string message) =>
        Response(new Google.Rpc.Status { Code = (int)code, Message = message }, httpStatus);

    protected abstract byte[] Encode(IMessage message);

    private sealed class EncodedMessage(byte[] body, string contentType, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = statusCode;
            context.Response.ContentType = contentType;
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        }
    }

    private sealed class ProtobufEncoding() : OtlpHttpEncoding("application/x-protobuf")
    {
        public override TRequest Parse<TRequest>(MessageParser<TRequest> parser, byte[] body)
        {
            try
            {
                return parser.ParseFrom(body);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new FormatException($"The body is not a valid {typeof(TRequest).Name} protobuf message: {e.Message}", e);
            }
        }

        protected override byte[] Encode(IMessage message) => message.ToByteArray();
    }

    private sealed class JsonEncoding() : OtlpHttpEncoding("application/json")
    {
        // The specification asks receivers to ignore fields they do not know, so newer senders keep working.
        private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

        public override TRequest Parse<TRequest>(MessageParser<TRequest> parser, byte[] body)
        {
            try
            {
                using var reader = new StreamReader(OtlpJsonIds.HexToBase64(body, typeof(TRequest).Name), System.Text.Encoding.UTF8);
                return Parser.Parse<TRequest>(reader);
            }
            // ArgumentException: a string that is not valid UTF-8.
            catch (Exception e) when (e is JsonException or InvalidJsonException or InvalidProtocolBufferException or InvalidOperationException or ArgumentException)
            {
                throw new FormatException($"The body is not a valid {typeof(TRequest).Name} in OTLP/JSON: {e.Message}", e);
            }
        }

        protected override byte[] Encode(IMessage message) => System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(message));
    }
}
