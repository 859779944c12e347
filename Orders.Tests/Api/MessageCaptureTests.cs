using System.Diagnostics;
using Ecommerce;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api;

/// <summary>
/// Orders:Telemetry:CaptureMessages over real Kestrel: off, the server span holds no message; on, one event per request
/// message whose JSON is that message, within the caps, and a capped call says how many were left out. Metadata outside
/// the allow-list never reaches the span either way.
/// </summary>
[Collection(ProcessWideTelemetryDefinition.Name)]
public sealed class MessageCaptureTests
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    // Quotes, a shell substitution, a backslash, a line feed, an escape, a bidi override and non-ASCII text.
    private static readonly Order Hostile = new()
    {
        Id = "it's \"$(rm -rf ~)\" `id`",
        Items = { "line\nbreak\\", "\u001B[2J\u202Eevil", "Grüße, 東京 🚚" },
        Description = "",
        Price = 9.99f,
        Destination = "'; DROP",
    };

    [Fact]
    public async Task Off_TheServerSpanHoldsNoMessage()
    {
        await using var api = Start([]);
        var span = await UpdateAsync(api, [Order("cap-off-1")], new Metadata());

        Assert.DoesNotContain(span.Events, e => e.Name == "rpc.grpc.request_message");
        Assert.Null(span.GetTagItem("rpc.grpc.messages_captured"));
        Assert.Null(span.GetTagItem("rpc.grpc.request.metadata.x-orders-delay-ms"));
    }

    [Fact]
    public async Task On_EachMessageOfAClientStreamIsAnEventWhoseJsonIsTheMessage()
    {
        await using var api = Start(["Orders:Telemetry:CaptureMessages=true"]);
        Order[] orders = [Order("cap-on-1"), Hostile, Order("cap-on-3")];
        var span = await UpdateAsync(api, orders, new Metadata { { "x-orders-delay-ms", "0" } });

        var events = span.Events.Where(e => e.Name == "rpc.grpc.request_message").ToList();
        Assert.Equal([1, 2, 3], events.Select(e => Tag(e, "rpc.message.id")));
        Assert.Equal(orders, events.Select(e => Parser.Parse<Order>((string)Tag(e, "rpc.grpc.message_json")!)));
        // Printable as every value from a request is: no raw control or bidi character, and still the same JSON.
        Assert.All(events, e => Assert.DoesNotMatch(@"[\u0000-\u001F\u202E]", (string)Tag(e, "rpc.grpc.message_json")!));
        Assert.Equal(3, span.GetTagItem("rpc.grpc.messages_captured"));
        Assert.Null(span.GetTagItem("rpc.grpc.messages_capped"));
        Assert.Equal("0", span.GetTagItem("rpc.grpc.request.metadata.x-orders-delay-ms"));
        // Where the client called: a repeated call from a line with no client span goes there.
        Assert.Equal(
            (api.ClientOptions.BaseAddress.Host, api.ClientOptions.BaseAddress.Port, "http"),
            (span.GetTagItem("server.address"), span.GetTagItem("server.port"), span.GetTagItem("url.scheme")));
    }

    [Fact]
    public async Task On_UnaryServerStreamingAndDuplexRequestsAreCaptured()
    {
        await using var api = Start(["Orders:Telemetry:CaptureMessages=true"]);
        using var channel = GrpcChannel.ForAddress(api.ClientOptions.BaseAddress);
        var client = new OrderManagement.OrderManagementClient(channel);

        var getId = RequestId();
        await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = "no-such-order" }, Headers(getId)).ResponseAsync);
        Assert.Equal(["\"no-such-order\""], Messages(await api.ServerSpanAsync(getId)));

        var searchId = RequestId();
        using (var search = client.searchOrders(new StringValue { Value = "Apple" }, Headers(searchId)))
        {
            while (await search.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }

        Assert.Equal(["\"Apple\""], Messages(await api.ServerSpanAsync(searchId)));

        var processId = RequestId();
        using (var process = client.processOrders(Headers(processId)))
        {
            await process.RequestStream.WriteAsync(new StringValue { Value = "102" });
            await process.RequestStream.WriteAsync(new StringValue { Value = "103" });
            await process.RequestStream.CompleteAsync();
            while (await process.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }

        Assert.Equal(["\"102\"", "\"103\""], Messages(await api.ServerSpanAsync(processId)));
    }

    [Fact]
    public async Task MessagesPastTheCountCapAreLeftOutAndCounted()
    {
        await using var api = Start(["Orders:Telemetry:CaptureMessages=true", "Orders:Telemetry:MaxCapturedMessages=2"]);
        var span = await UpdateAsync(api, [Order("cap-n-1"), Order("cap-n-2"), Order("cap-n-3"), Order("cap-n-4")], new Metadata());

        Assert.Equal(2, Messages(span).Count);
        Assert.Equal((2, true, 2), (span.GetTagItem("rpc.grpc.messages_captured"), span.GetTagItem("rpc.grpc.messages_capped"), span.GetTagItem("rpc.grpc.messages_left_out")));
    }

    [Fact]
    public async Task AMessagePastTheByteCapIsLeftOut_AndEveryOneAfterIt()
    {
        var small = JsonFormatter.Default.Format(Order("cap-b-1"));
        // Room for the first message and not the second: then a third, small enough, must not fill the gap.
        await using var api = Start(["Orders:Telemetry:CaptureMessages=true", $"Orders:Telemetry:MaxCapturedBytes={small.Length + 10}"]);
        var big = Order("cap-b-2");
        big.Description = new string('x', 200);
        var span = await UpdateAsync(api, [Order("cap-b-1"), big, Order("cap-b-3")], new Metadata());

        Assert.Equal([small], Messages(span));
        Assert.Equal((1, true, 2), (span.GetTagItem("rpc.grpc.messages_captured"), span.GetTagItem("rpc.grpc.messages_capped"), span.GetTagItem("rpc.grpc.messages_left_out")));
    }

    [Fact]
    public async Task On_MetadataOutsideTheAllowListNeverReachesTheSpan()
    {
        await using var api = Start(["Orders:Telemetry:CaptureMessages=true"]);
        var secret = $"secret-{Guid.NewGuid():N}";
        var span = await UpdateAsync(api, [Order("cap-meta-1")], new Metadata { { "authorization", $"Bearer {secret}" }, { "x-api-key", secret }, { "cookie", secret } });

        var texts = span.TagObjects.Select(t => $"{t.Key}={t.Value}").Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")));
        Assert.DoesNotContain(texts, text => text.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(span.TagObjects, t => t.Key.StartsWith("rpc.grpc.request.metadata.", StringComparison.Ordinal) && t.Key != "rpc.grpc.request.metadata.x-orders-delay-ms");
    }

    [Fact]
    public async Task ARefusedCall_RecordsNoRequest()
    {
        await using var api = Start(["Orders:Telemetry:CaptureMessages=true", "Orders:Metadata:MaxTotalBytes=2000"]);
        var span = await UpdateAsync(api, [Order("cap-refused-1")], new Metadata { { "x-padding", new string('p', 3000) } });

        Assert.Equal(StatusCode.ResourceExhausted, (StatusCode)(int)span.GetTagItem("rpc.grpc.status_code")!);
        Assert.Null(span.GetTagItem("rpc.grpc.messages_captured"));
        Assert.DoesNotContain(span.Events, e => e.Name == "rpc.grpc.request_message");
    }

    private static OrdersApiFactory Start(string[] settings)
    {
        var api = new OrdersApiFactory(settings.Select(s => s.Split('=', 2)).ToDictionary(s => s[0], s => (string?)s[1]));
        api.UseKestrel(FreePort.Next());
        api.StartServer();
        return api;
    }

    private static async Task<Activity> UpdateAsync(OrdersApiFactory api, Order[] orders, Metadata headers)
    {
        var requestId = RequestId();
        headers.Add("x-request-id", requestId);
        using var channel = GrpcChannel.ForAddress(api.ClientOptions.BaseAddress);
        using var call = new OrderManagement.OrderManagementClient(channel).updateOrders(headers);
        // A refused call may end before its request is written: the status is then the one the response carries.
        await Record.ExceptionAsync(async () =>
        {
            foreach (var order in orders)
            {
                await call.RequestStream.WriteAsync(order);
            }

            await call.RequestStream.CompleteAsync();
        });
        await Record.ExceptionAsync(() => call.ResponseAsync);
        return await api.ServerSpanAsync(requestId);
    }

    private static List<string> Messages(Activity span) =>
        [.. span.Events.Where(e => e.Name == "rpc.grpc.request_message").Select(e => (string)Tag(e, "rpc.grpc.message_json")!)];

    private static object? Tag(ActivityEvent spanEvent, string key) => spanEvent.Tags.FirstOrDefault(tag => tag.Key == key).Value;

    private static Metadata Headers(string requestId) => new() { { "x-request-id", requestId } };

    private static string RequestId() => Guid.NewGuid().ToString("N");

    private static Order Order(string id) => new() { Id = id, Items = { "Item" }, Price = 1.5f, Destination = "Here" };
}
