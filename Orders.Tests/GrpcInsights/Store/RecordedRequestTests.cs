using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.Shared;
using static Orders.Tests.GrpcInsights.Store.StoreSpans;

namespace Orders.Tests.GrpcInsights.Store;

/// <summary>What the reproduce line is built from: the recorder span, its messages, the address and the left-out count.</summary>
public sealed class RecordedRequestTests
{
    private static readonly SpanData Client = CallSide("c1", null, SpanKind.Client);

    [Fact]
    public void WithoutCapturedMessages_NothingIsRecorded()
    {
        Assert.Null(RecordedCalls.Call("getOrder", "unary", messages: null).Request);
        Assert.Null(RecordedRequest.From(Client, [Client, Server()]));
    }

    [Fact]
    public void OnlyAServerSpanRecords()
    {
        var capturingClient = Client with { Attributes = [.. Client.Attributes, new(RpcSemanticConventions.MessagesCaptured, "1")] };

        Assert.Null(RecordedRequest.From(capturingClient, [capturingClient, Server()]));
    }

    [Fact]
    public void AMessageEventWithoutItsJson_EndsTheMessages_AndCountsAsLeftOut()
    {
        var server = Server((RpcSemanticConventions.MessagesCaptured, "2")) with
        {
            Events = [Message("""{"id":"1"}"""), new SpanEvent(RpcSemanticConventions.RequestMessageEvent, T0, [new("rpc.message.id", "2")])],
        };

        var request = RecordedRequest.From(Client, [Client, server])!;

        Assert.Equal(["""{"id":"1"}"""], request.Messages);
        Assert.Equal(1, request.LeftOut);
    }

    [Theory]
    [InlineData("-3", 0)]
    [InlineData("0", 0)]
    [InlineData("many", 0)]
    [InlineData("4", 4)]
    public void LeftOut_CountsOnlyAPositiveWholeNumber(string leftOut, long expected)
    {
        var server = Server((RpcSemanticConventions.MessagesCaptured, "1"), (RpcSemanticConventions.MessagesLeftOut, leftOut)) with
        {
            Events = [Message("""{"id":"1"}""")],
        };

        var request = RecordedRequest.From(Client, [Client, server])!;

        Assert.Equal(expected, request.LeftOut);
        Assert.Equal(expected > 0, request.Capped);
    }

    [Theory]
    [InlineData("127.0.0.1", "5001", "127.0.0.1:5001")]
    [InlineData("::1", "5001", "[::1]:5001")]
    [InlineData("localhost", null, null)]
    [InlineData(null, "5001", null)]
    public void TheAddress_IsHostAndPort_IPv6InBrackets_AndNoneWithoutBoth(string? host, string? port, string? expected)
    {
        List<(string Key, string Value)> address = [];
        if (host is not null)
        {
            address.Add((RpcSemanticConventions.ServerAddress, host));
        }

        if (port is not null)
        {
            address.Add((RpcSemanticConventions.ServerPort, port));
        }

        var client = CallSide("c1", null, SpanKind.Client, extra: [.. address]);
        var server = Server((RpcSemanticConventions.MessagesCaptured, "0"));

        Assert.Equal(expected, RecordedRequest.From(client, [client, server])!.Address);
    }

    private static SpanData Server(params (string Key, string Value)[] extra) => CallSide("s1", "c1", SpanKind.Server, startMs: 1, extra: extra);

    private static SpanEvent Message(string json) =>
        new(RpcSemanticConventions.RequestMessageEvent, T0, [new("rpc.message.id", "1"), new(RpcSemanticConventions.MessageJson, json)]);
}
