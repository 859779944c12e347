using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orders.Tests.GrpcInsights;

/// <summary>One gRPC call to fake, as a client span with a server span below it (docs/telemetry.md's names).</summary>
public sealed record SampleCall(string Method, string Status, string CallType = "unary", double? DeadlineMs = null, int ServerMs = 5)
{
    public long MessagesReceived { get; init; } = 1;
    public long MessagesSent { get; init; } = 1;
    public bool HandlerCancelled { get; init; }
    /// <summary>The budget the client gave the call, on its span (the server's arrival budget is <see cref="DeadlineMs"/>).</summary>
    public double? ClientDeadlineMs { get; init; }
    public IReadOnlyList<string> NotFoundOrderIds { get; init; } = [];
    public IReadOnlyDictionary<string, string> ExtraServerTags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Produces realistic telemetry through the real OpenTelemetry .NET SDK and OTLP exporter (grpc or http/protobuf):
/// an "orders-client" and an "orders-api" resource, spans linked across them, interceptor-style logs and an RPC histogram.
/// </summary>
public sealed partial class OtlpTelemetryEmitter : IDisposable
{
    private const string Service = "ecommerce.OrderManagement";
    private static readonly string[] StatusNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly ActivitySource clientSource;
    private readonly ActivitySource serverSource;
    private readonly Meter meter;
    private readonly Histogram<double> serverDuration;
    private readonly TracerProvider clientTraces;
    private readonly TracerProvider serverTraces;
    private readonly MeterProvider serverMetrics;
    private readonly ILoggerFactory serverLogs;
    private readonly ILogger logger;

    public OtlpTelemetryEmitter(Uri endpoint, OtlpExportProtocol protocol, string? apiKey = null)
    {
        clientSource = new ActivitySource($"Orders.Tests.Client.{suffix}");
        serverSource = new ActivitySource($"Orders.Tests.Api.{suffix}");
        meter = new Meter($"Orders.Tests.Api.{suffix}");
        serverDuration = meter.CreateHistogram<double>("rpc.server.duration", "ms");

        void Exporter(OtlpExporterOptions options, string signal)
        {
            // A programmatic endpoint is used as-is, so OTLP/HTTP needs the signal path spelled out.
            options.Endpoint = protocol == OtlpExportProtocol.Grpc ? endpoint : new Uri(endpoint, $"/v1/{signal}");
            options.Protocol = protocol;
            options.ExportProcessorType = ExportProcessorType.Simple;
            if (apiKey is not null)
            {
                options.Headers = $"x-otlp-api-key={apiKey}";
            }
        }

        clientTraces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("orders-client", serviceInstanceId: "client-1"))
            .AddSource(clientSource.Name)
            .AddOtlpExporter(options => Exporter(options, "traces"))
            .Build();
        serverTraces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("orders-api", serviceInstanceId: "api-1"))
            .AddSource(serverSource.Name)
            .AddOtlpExporter(options => Exporter(options, "traces"))
            .Build();
        serverMetrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("orders-api", serviceInstanceId: "api-1"))
            .AddMeter(meter.Name)
            .AddOtlpExporter((options, reader) =>
            {
                Exporter(options, "metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 60_000;
            })
            .Build();
        serverLogs = LoggerFactory.Create(logging => logging.AddOpenTelemetry(otel =>
        {
            otel.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("orders-api", serviceInstanceId: "api-1"));
            otel.IncludeFormattedMessage = true;
            otel.AddOtlpExporter((options, processor) =>
            {
                Exporter(options, "logs");
                processor.ExportProcessorType = ExportProcessorType.Simple;
            });
        }));
        this.logger = serverLogs.CreateLogger("Orders.Api.Interceptors.ServerCallLoggingInterceptor");
    }

    /// <summary>Emits one call; returns its trace id (lower-case hex).</summary>
    public string EmitCall(SampleCall call)
    {
        var code = Array.IndexOf(StatusNames, call.Status);
        var fullName = $"{Service}/{call.Method}";
        var start = DateTimeOffset.UtcNow.AddMilliseconds(-call.ServerMs - 4);
        using var client = clientSource.StartActivity(ActivityKind.Client, default(ActivityContext), RpcTags(call, code), null, start, fullName)!;
        if (call.ClientDeadlineMs is { } budget)
        {
            client.SetTag("rpc.grpc.deadline_ms", budget);
        }

        using (var server = serverSource.StartActivity(ActivityKind.Server, client.Context, RpcTags(call, code), null, start.AddMilliseconds(1), fullName)!)
        {
            server.SetTag("rpc.grpc.call_type", call.CallType);
            server.SetTag("rpc.grpc.messages_received", call.MessagesReceived);
            server.SetTag("rpc.grpc.messages_sent", call.MessagesSent);
            if (call.DeadlineMs is { } deadline)
            {
                server.SetTag("rpc.grpc.deadline_ms", deadline);
            }

            if (call.HandlerCancelled)
            {
                server.SetTag("rpc.grpc.handler_cancelled", true);
            }

            foreach (var (key, value) in call.ExtraServerTags)
            {
                server.SetTag(key, value);
            }

            foreach (var orderId in call.NotFoundOrderIds)
            {
                server.AddEvent(new ActivityEvent("order.not_found", start.AddMilliseconds(2), new ActivityTagsCollection { ["order.id"] = orderId }));
            }

            if (call.Status is "CANCELLED" or "DEADLINE_EXCEEDED")
            {
                server.AddEvent(new ActivityEvent("rpc.cancelled", start.AddMilliseconds(call.ServerMs), new ActivityTagsCollection
                {
                    ["rpc.grpc.messages_received"] = call.MessagesReceived,
                    ["rpc.grpc.messages_sent"] = call.MessagesSent,
                }));
            }

            if (call.Status is "DEADLINE_EXCEEDED" or "INTERNAL" or "UNKNOWN")
            {
                server.SetStatus(ActivityStatusCode.Error, $"{call.Status} detail");
            }

            Log(fullName, call);
            server.SetEndTime(start.AddMilliseconds(1 + call.ServerMs).UtcDateTime);
        }

        serverDuration.Record(call.ServerMs, new TagList
        {
            { "rpc.system", "grpc" }, { "rpc.service", Service }, { "rpc.method", call.Method }, { "rpc.grpc.status_code", code },
        });
        if (call.Status != "OK")
        {
            client.SetStatus(ActivityStatusCode.Error, $"{call.Status} detail");
        }

        client.SetEndTime(start.AddMilliseconds(call.ServerMs + 3).UtcDateTime);
        return client.TraceId.ToHexString();
    }

    /// <summary>Pushes buffered metrics and logs out now (spans are exported as each one ends).</summary>
    public void Flush()
    {
        serverMetrics.ForceFlush(10_000);
        clientTraces.ForceFlush(10_000);
        serverTraces.ForceFlush(10_000);
    }

    private void Log(string method, SampleCall call) =>
        LogCallEnded(logger, call.Status == "OK" ? LogLevel.Information : LogLevel.Warning, method, call.Status, call.ServerMs, call.DeadlineMs);

    [LoggerMessage(Message = "gRPC call {RpcMethod} ended with {StatusCode} after {ElapsedMs} ms (deadline {DeadlineMs} ms)")]
    private static partial void LogCallEnded(ILogger logger, LogLevel level, string rpcMethod, string statusCode, int elapsedMs, double? deadlineMs);

    private static ActivityTagsCollection RpcTags(SampleCall call, int code) => new()
    {
        ["rpc.system"] = "grpc",
        ["rpc.service"] = Service,
        ["rpc.method"] = call.Method,
        ["rpc.grpc.status_code"] = code,
    };

    public void Dispose()
    {
        Flush();
        serverLogs.Dispose();
        serverMetrics.Dispose();
        clientTraces.Dispose();
        serverTraces.Dispose();
        clientSource.Dispose();
        serverSource.Dispose();
        meter.Dispose();
    }
}
