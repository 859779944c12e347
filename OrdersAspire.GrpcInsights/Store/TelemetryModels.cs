using OrdersAspire.Shared;
namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// Attribute values are kept as display strings: the insights show and filter them, never computes on them. A value
/// type, so a span's attributes are one array rather than an object each.
/// </summary>
public readonly record struct AttributeEntry(string Key, string Value)
{
    /// <summary>The first value under <paramref name="key"/>, or null.</summary>
    public static string? Find(IReadOnlyList<AttributeEntry> attributes, string key)
    {
        for (var i = 0; i < attributes.Count; i++)
        {
            if (attributes[i].Key == key)
            {
                return attributes[i].Value;
            }
        }

        return null;
    }
}

/// <summary>Which process produced a piece of telemetry (service.name + service.instance.id).</summary>
public sealed record ResourceIdentity(string ServiceName, string InstanceId);

public enum SpanKind
{
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

public enum SpanStatusCode
{
    Unset,
    Ok,
    Error,
}

public sealed record SpanEvent(string Name, DateTime Time, IReadOnlyList<AttributeEntry> Attributes);

/// <summary>One received span, immutable once stored.</summary>
public sealed record SpanData
{
    public required string TraceId { get; init; }
    public required string SpanId { get; init; }
    public string? ParentSpanId { get; init; }
    public required string Name { get; init; }
    public SpanKind Kind { get; init; }
    public required ResourceIdentity Resource { get; init; }
    public string Scope { get; init; } = "";
    public DateTime Start { get; init; }
    public DateTime End { get; init; }
    /// <summary>Setting the attributes also reads the RPC facts out of them once, so filters and views never rescan.</summary>
    public IReadOnlyList<AttributeEntry> Attributes
    {
        get;
        init
        {
            field = value;
            rpc = RpcFacts.From(value);
        }
    } = [];

    public IReadOnlyList<SpanEvent> Events { get; init; } = [];
    public SpanStatusCode Status { get; init; }
    public string? StatusMessage { get; init; }

    public TimeSpan Duration => End > Start ? End - Start : TimeSpan.Zero;
    public string Service => Resource.ServiceName;

    public string? Attribute(string key) => AttributeEntry.Find(Attributes, key);

    /// <summary>True for gRPC spans of either semconv generation (rpc.system or the newer rpc.system.name).</summary>
    public bool IsGrpc => rpc.IsGrpc;

    /// <summary>A gRPC span that is one side of a call: kind Client or Server (an internal span with rpc.* is not a call).</summary>
    public bool IsGrpcCallSide => rpc.IsGrpc && Kind is SpanKind.Client or SpanKind.Server;

    /// <summary>"ecommerce.OrderManagement/getOrder" from the rpc attributes, else the span name.</summary>
    public string? RpcMethod => rpc.IsGrpc ? rpc.Method ?? Name : null;

    /// <summary>The gRPC status code name from either semconv generation (int or string attribute).</summary>
    public string? GrpcStatus => rpc.Status;

    private RpcFacts rpc;

    private readonly record struct RpcFacts(bool IsGrpc, string? Method, string? Status)
    {
        public static RpcFacts From(IReadOnlyList<AttributeEntry> attributes)
        {
            string? system = null, systemName = null, service = null, method = null, statusName = null, statusNumber = null;
            foreach (var attribute in attributes)
            {
                switch (attribute.Key)
                {
                    case RpcSemanticConventions.RpcSystem: system ??= attribute.Value; break;
                    case RpcSemanticConventions.RpcSystemName: systemName ??= attribute.Value; break;
                    case RpcSemanticConventions.RpcService: service ??= attribute.Value; break;
                    case RpcSemanticConventions.RpcMethod: method ??= attribute.Value; break;
                    case RpcSemanticConventions.ResponseStatusCode: statusName ??= attribute.Value; break;
                    case RpcSemanticConventions.GrpcStatusCode: statusNumber ??= attribute.Value; break;
                }
            }

            return new RpcFacts(
                system == RpcSemanticConventions.GrpcSystem || systemName == RpcSemanticConventions.GrpcSystem,
                FullMethod(service, method),
                GrpcStatusCodes.FromAttributes(statusName, statusNumber));
        }

        // A joined name recurs in every span of its method: held once, like the texts it is joined from.
        private static readonly RecurringText JoinedMethods = new();

        // The older semconv splits service and method ("ecommerce.OrderManagement" + "getOrder"); the newer one puts
        // the full name in rpc.method. Both read as "ecommerce.OrderManagement/getOrder".
        private static string? FullMethod(string? service, string? method) => (service, method) switch
        {
            (_, null) => null,
            (null, _) => method,
            _ when method.Contains('/', StringComparison.Ordinal) => method,
            _ => JoinedMethods.Share($"{service}/{method}"),
        };
    }
}
