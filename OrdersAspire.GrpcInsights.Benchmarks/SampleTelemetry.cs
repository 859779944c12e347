using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using OrdersAspire.Shared;

namespace OrdersAspire.GrpcInsights.Benchmarks;

/// <summary>OTLP requests shaped like Orders.Api / Orders.Client telemetry: each trace a client span over a server span.</summary>
internal static class SampleTelemetry
{
    private static readonly string[] Methods = ["getOrder", "addOrder", "searchOrders", "updateOrders", "processOrders", "deleteOrder"];
    private static readonly int[] Codes = [0, 0, 0, 0, 5, 4, 1, 3];
    private static long next;

    public static ExportTraceServiceRequest Traces(int traceCount)
    {
        var client = new ScopeSpans { Scope = new InstrumentationScope { Name = "Grpc.Net.Client" } };
        // Orders.Api's server span is ASP.NET Core's request span, made the call's.
        var server = new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" } };
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        for (var i = 0; i < traceCount; i++)
        {
            var n = Interlocked.Increment(ref next);
            var traceId = ByteString.CopyFrom([.. BitConverter.GetBytes(n), .. BitConverter.GetBytes(n ^ 0x5bd1e995)]);
            var clientSpanId = ByteString.CopyFrom(BitConverter.GetBytes((n * 2) + 1));
            var method = Methods[n % Methods.Length];
            var code = Codes[n % Codes.Length];
            client.Spans.Add(NewSpan(traceId, clientSpanId, ByteString.Empty, Span.Types.SpanKind.Client, method, code, now, 3_000_000));
            var serverSpan = NewSpan(traceId, ByteString.CopyFrom(BitConverter.GetBytes((n * 2) + 2)), clientSpanId, Span.Types.SpanKind.Server, method, code, now + 500_000, 2_000_000);
            serverSpan.Attributes.Add(Attribute(RpcSemanticConventions.CallType, "unary"));
            serverSpan.Attributes.Add(new KeyValue { Key = RpcSemanticConventions.DeadlineMs, Value = new AnyValue { DoubleValue = 10_000 } });
            serverSpan.Attributes.Add(new KeyValue { Key = RpcSemanticConventions.MessagesReceived, Value = new AnyValue { IntValue = 1 } });
            serverSpan.Attributes.Add(new KeyValue { Key = RpcSemanticConventions.MessagesSent, Value = new AnyValue { IntValue = 1 } });
            serverSpan.Attributes.Add(Attribute(RpcSemanticConventions.RequestId, Guid.NewGuid().ToString()));
            server.Spans.Add(serverSpan);
        }

        return new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans { Resource = Resource("orders-client", "client-1"), ScopeSpans = { client } },
                new ResourceSpans { Resource = Resource("orders-api", "api-1"), ScopeSpans = { server } },
            },
        };
    }

    private static Span NewSpan(ByteString traceId, ByteString spanId, ByteString parent, Span.Types.SpanKind kind, string method, int code, ulong start, ulong duration) => new()
    {
        TraceId = traceId,
        SpanId = spanId,
        ParentSpanId = parent,
        Name = $"ecommerce.OrderManagement/{method}",
        Kind = kind,
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + duration,
        Attributes =
        {
            Attribute(RpcSemanticConventions.RpcSystem, RpcSemanticConventions.GrpcSystem), Attribute(RpcSemanticConventions.RpcService, "ecommerce.OrderManagement"), Attribute(RpcSemanticConventions.RpcMethod, method),
            new KeyValue { Key = RpcSemanticConventions.GrpcStatusCode, Value = new AnyValue { IntValue = code } },
            Attribute("server.address", "localhost"), new KeyValue { Key = "server.port", Value = new AnyValue { IntValue = 5000 } },
        },
        Status = new Status { Code = code == 0 ? Status.Types.StatusCode.Unset : Status.Types.StatusCode.Error },
    };

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static Resource Resource(string service, string instance) => new()
    {
        Attributes = { Attribute("service.name", service), Attribute("service.instance.id", instance), Attribute("telemetry.sdk.language", "dotnet") },
    };
}
