using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Store;
using ProtoResource = OpenTelemetry.Proto.Resource.V1.Resource;
using ProtoSpan = OpenTelemetry.Proto.Trace.V1.Span;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>
/// Turns OTLP protobuf messages into store records. Everything in them is sender-controlled input: ids are
/// checked, attribute counts and lengths are capped (and what was cut is counted in <paramref name="drops"/>), values
/// become plain strings, and the short ones that recur from span to span are shared (<see cref="RecurringText"/>).
/// </summary>
public sealed class OtlpConverter(TelemetryLimitOptions limits, TelemetryDrops drops)
{
    public const string UnknownService = "unknown_service";

    private readonly RecurringText recurring = new();

    public ResourceIdentity Resource(ProtoResource? resource)
    {
        string? name = null, instance = null;
        foreach (var attribute in resource?.Attributes ?? [])
        {
            switch (attribute.Key)
            {
                case "service.name":
                    name = Kept(Text(attribute.Value));
                    break;
                case "service.instance.id":
                    instance = Kept(Text(attribute.Value));
                    break;
            }
        }

        name = string.IsNullOrEmpty(name) ? UnknownService : name;
        return new ResourceIdentity(name, string.IsNullOrEmpty(instance) ? name : instance);
    }

    /// <summary>Null when the span's ids are not valid W3C ids (such spans are reported back as rejected).</summary>
    public SpanData? Span(ResourceIdentity resource, string scope, ProtoSpan span)
    {
        if (HexId(span.TraceId, 16) is not { } traceId || HexId(span.SpanId, 8) is not { } spanId)
        {
            return null;
        }

        return new SpanData
        {
            TraceId = traceId,
            SpanId = spanId,
            ParentSpanId = HexId(span.ParentSpanId, 8),
            Name = Kept(span.Name),
            Kind = (Store.SpanKind)Math.Clamp((int)span.Kind, 0, (int)Store.SpanKind.Consumer),
            Resource = resource,
            Scope = recurring.Share(scope),
            Start = Time(span.StartTimeUnixNano),
            End = Time(span.EndTimeUnixNano),
            Attributes = Attributes(span.Attributes),
            Events = Events(span.Events),
            Status = span.Status?.Code switch
            {
                OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Ok => SpanStatusCode.Ok,
                OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Error => SpanStatusCode.Error,
                _ => SpanStatusCode.Unset,
            },
            StatusMessage = string.IsNullOrEmpty(span.Status?.Message) ? null : Truncate(span.Status.Message),
        };
    }

    public IReadOnlyList<AttributeEntry> Attributes(RepeatedField<KeyValue> attributes)
    {
        var kept = new AttributeEntry[Math.Min(attributes.Count, limits.MaxAttributeCount)];
        var truncated = attributes.Count - kept.Length;
        for (var i = 0; i < kept.Length; i++)
        {
            var (key, value) = (attributes[i].Key, Text(attributes[i].Value));
            if (key.Length > limits.MaxAttributeLength || value.Length > limits.MaxAttributeLength)
            {
                truncated++;
            }

            kept[i] = new AttributeEntry(Kept(key), Kept(value));
        }

        if (truncated > 0)
        {
            drops.AttributesTruncated(truncated);
        }

        return kept;
    }

    private SpanEvent[] Events(RepeatedField<ProtoSpan.Types.Event> events)
    {
        if (events.Count > limits.MaxSpanEventCount)
        {
            drops.EventsDropped(events.Count - limits.MaxSpanEventCount);
        }

        return [.. events.Take(limits.MaxSpanEventCount).Select(e => new SpanEvent(Kept(e.Name), Time(e.TimeUnixNano), Attributes(e.Attributes)))];
    }

    public static DateTime Time(ulong unixNanos) =>
        unixNanos == 0 ? DateTime.UnixEpoch : DateTime.UnixEpoch.AddTicks((long)Math.Min(unixNanos / 100, (ulong)(DateTime.MaxValue - DateTime.UnixEpoch).Ticks));

    /// <summary>Lower-case hex of an id of the expected length; null when missing, wrongly sized or all zeroes.</summary>
    public static string? HexId(ByteString id, int length) =>
        id.Length == length && id.Span.ContainsAnyExcept((byte)0) ? Convert.ToHexStringLower(id.Span) : null;

    public static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        AnyValue.ValueOneofCase.ArrayValue => $"[{string.Join(", ", value.ArrayValue.Values.Select(Text))}]",
        AnyValue.ValueOneofCase.KvlistValue => $"{{{string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {Text(kv.Value)}"))}}}",
        _ => "",
    };

    private string Kept(string value) => recurring.Share(Truncate(value));

    private string Truncate(string value) =>
        value.Length <= limits.MaxAttributeLength ? value : string.Concat(value.AsSpan(0, limits.MaxAttributeLength), "…");
}
