using Google.Protobuf;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Otlp;
using OrdersAspire.GrpcInsights.Store;
using static Orders.Tests.GrpcInsights.OtlpWire;
using ProtoResource = OpenTelemetry.Proto.Resource.V1.Resource;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// What the trace pages show of a received span: values as text, limits cut exactly at their boundary and counted
/// (the counts are the status bar's "Limits reached"), ids that are not real ids left out.
/// </summary>
public sealed class OtlpConverterTests
{
    private static readonly ResourceIdentity Shop = new("web-shop", "web-shop");

    private static readonly TelemetryLimitOptions Limits = new() { MaxAttributeCount = 3, MaxAttributeLength = 5, MaxSpanEventCount = 2 };

    private readonly TelemetryStore store = new(Limits);
    private readonly OtlpConverter converter;

    public OtlpConverterTests() => converter = new OtlpConverter(Limits, store.Drops);

    [Fact]
    public void AttributesOfExactlyTheMaximumLengthAreKeptWholeAndLongerOnesAreCutAndCountedOnce()
    {
        var kept = converter.Attributes([Text("abcde", "12345"), Text("abcdef", "1"), Text("k", "123456"), Text("ab", "ab")]);

        Assert.Equal([new("abcde", "12345"), new("abcde…", "1"), new("k", "12345…")], kept);
        // Two cut to length, one left out beyond MaxAttributeCount.
        Assert.Equal(3, store.Drops.TruncatedAttributes);
    }

    [Fact]
    public void EventsBeyondTheMaximumAreLeftOutAndCounted()
    {
        var twoEvents = converter.Span(Shop, "scope", SpanWith(events: 2))!;
        Assert.Equal((2, 0L), (twoEvents.Events.Count, store.Drops.DroppedEvents));

        var fiveEvents = converter.Span(Shop, "scope", SpanWith(events: 5))!;
        Assert.Equal(["e0", "e1"], fiveEvents.Events.Select(e => e.Name));
        Assert.Equal(3, store.Drops.DroppedEvents);

        converter.Span(Shop, "scope", SpanWith(events: 1));
        Assert.Equal(3, store.Drops.DroppedEvents);
    }

    [Fact]
    public void AStatusMessageIsKeptCutToLengthAndAnEmptyOneIsNone()
    {
        Assert.Equal("boom", converter.Span(Shop, "", SpanWith(statusMessage: "boom"))!.StatusMessage);
        Assert.Equal("overf…", converter.Span(Shop, "", SpanWith(statusMessage: "overflowing"))!.StatusMessage);
        Assert.Null(converter.Span(Shop, "", SpanWith(statusMessage: ""))!.StatusMessage);
        Assert.Null(converter.Span(Shop, "", SpanWith(statusMessage: null))!.StatusMessage);
    }

    [Fact]
    public void IdsOfZeroesOrTheWrongLengthAreNotIds()
    {
        var root = SpanWith();
        root.ParentSpanId = ByteString.CopyFrom(new byte[8]);
        Assert.Null(converter.Span(Shop, "", root)!.ParentSpanId);

        var child = SpanWith();
        child.ParentSpanId = ByteString.CopyFrom([0, 0, 0, 0, 0, 0, 0, 7]);
        Assert.Equal("0000000000000007", converter.Span(Shop, "", child)!.ParentSpanId);

        Assert.Null(OtlpConverter.HexId(ByteString.CopyFrom(new byte[16]), 16));
        Assert.Null(OtlpConverter.HexId(ByteString.CopyFrom([1, 2, 3]), 16));
        Assert.Null(OtlpConverter.HexId(ByteString.CopyFrom([1, 2, 3, 4, 5, 6, 7, 8, 9]), 8));
        Assert.Equal("0102030405060708", OtlpConverter.HexId(ByteString.CopyFrom([1, 2, 3, 4, 5, 6, 7, 8]), 8));
    }

    [Fact]
    public void TimesAreNanosecondsSinceTheUnixEpoch()
    {
        Assert.Equal(DateTime.UnixEpoch, OtlpConverter.Time(0));
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, 300, DateTimeKind.Utc), OtlpConverter.Time(1_700_000_000_300_000_000));
    }

    [Fact]
    public void AServiceWithoutAnInstanceIdIsItsOwnInstance()
    {
        Assert.Equal(new ResourceIdentity("api", "pod-7"),
            converter.Resource(new ProtoResource { Attributes = { Text("service.name", "api"), Text("service.instance.id", "pod-7") } }));
        Assert.Equal(new ResourceIdentity("api", "api"), converter.Resource(new ProtoResource { Attributes = { Text("service.name", "api") } }));
        Assert.Equal(new ResourceIdentity(OtlpConverter.UnknownService, OtlpConverter.UnknownService), converter.Resource(null));
    }

    [Fact]
    public void EveryKindOfValueIsShownAsText()
    {
        var list = new ArrayValue { Values = { new AnyValue { IntValue = 1 }, new AnyValue { StringValue = "a" }, new AnyValue { BoolValue = true } } };
        var map = new KeyValueList { Values = { Text("k", "v"), new KeyValue { Key = "n", Value = new AnyValue { DoubleValue = 2.5 } } } };

        Assert.Equal(
            ["true", "false", "-42", "0.1", "AQI=", "[1, a, true]", "{k: v, n: 2.5}", "", ""],
            new[]
            {
                new AnyValue { BoolValue = true }, new AnyValue { BoolValue = false }, new AnyValue { IntValue = -42 }, new AnyValue { DoubleValue = 0.1 },
                new AnyValue { BytesValue = ByteString.CopyFrom(1, 2) }, new AnyValue { ArrayValue = list }, new AnyValue { KvlistValue = map },
                new AnyValue(), null,
            }.Select(OtlpConverter.Text));
    }

    [Fact]
    public void SpansWithoutRealIdsAreCountedAsRejectedAndAScopeWithoutANameIsEmpty()
    {
        var ingestor = new OtlpIngestor(store, converter);
        var kept = SpanWith();
        var request = TraceRequest(kept, new Span { Name = "no ids" }, new Span { Name = "zero ids", TraceId = ByteString.CopyFrom(new byte[16]), SpanId = kept.SpanId });

        var response = ingestor.Export(request);

        Assert.Equal(2, response.PartialSuccess.RejectedSpans);
        var stored = Assert.Single(store.Traces.Get(Convert.ToHexStringLower(kept.TraceId.Span))!.Spans).Span;
        Assert.Equal(("", OtlpConverter.UnknownService), (stored.Scope, stored.Service));
    }

    [Fact]
    public void ASpanKeepsItsScopesName()
    {
        var span = SpanWith();
        var request = TraceRequest(span);
        request.ResourceSpans[0].ScopeSpans[0].Scope = new InstrumentationScope { Name = "Orders.Api" };

        new OtlpIngestor(store, converter).Export(request);

        Assert.Equal("Orders.Api", Assert.Single(store.Traces.Get(Convert.ToHexStringLower(span.TraceId.Span))!.Spans).Span.Scope);
    }

    [Fact]
    public void SpansOffTheWireShareTheKeysShortValuesAndMethodNamesTheyRepeat_AndKeepTheirOwnLongValues()
    {
        var requestId = new string('r', RecurringText.MaxLength + 1);
        var span = SpanWith();
        span.Attributes.Add(Text("rpc.system", "grpc"));
        span.Attributes.Add(Text("rpc.service", "ecommerce.OrderManagement"));
        span.Attributes.Add(Text("rpc.method", "getOrder"));
        span.Attributes.Add(Text("orders.request_id", requestId));
        var wire = TraceRequest(span).ToByteArray();
        // Default limits: this class's own cut texts at 5 characters.
        var receiver = new OtlpConverter(new TelemetryLimitOptions(), new TelemetryDrops());

        SpanData Received() => receiver.Span(Shop, "Microsoft.AspNetCore", OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest.Parser.ParseFrom(wire).ResourceSpans[0].ScopeSpans[0].Spans[0])!;
        var (first, second) = (Received(), Received());

        var (firstMethod, secondMethod) = (first.Attributes.Single(a => a.Key == "rpc.method"), second.Attributes.Single(a => a.Key == "rpc.method"));
        Assert.Equal(("rpc.method", "getOrder"), (secondMethod.Key, secondMethod.Value));
        Assert.Same(firstMethod.Key, secondMethod.Key);
        Assert.Same(firstMethod.Value, secondMethod.Value);
        Assert.Same(first.Name, second.Name);
        // The method's full name, joined from rpc.service and rpc.method, is held once too.
        Assert.Equal("ecommerce.OrderManagement/getOrder", second.RpcMethod);
        Assert.Same(first.RpcMethod, second.RpcMethod);
        Assert.Equal(requestId, second.Attribute("orders.request_id"));
        Assert.NotSame(first.Attribute("orders.request_id"), second.Attribute("orders.request_id"));
    }

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static Span SpanWith(int events = 0, string? statusMessage = null)
    {
        var span = ValidTraceRequest().Request.ResourceSpans[0].ScopeSpans[0].Spans[0];
        span.Events.AddRange(Enumerable.Range(0, events).Select(i => new Span.Types.Event { Name = $"e{i}" }));
        if (statusMessage is not null)
        {
            span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = statusMessage };
        }

        return span;
    }
}
