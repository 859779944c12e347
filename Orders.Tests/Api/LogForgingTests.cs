using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Orders.Client.Calls;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// Ids carrying the characters that forge a log line (LF, CR), move a terminal's cursor (ESC, C1 CSI) or hide text,
/// sent to the real Orders.Api: its console (the real formatter) shows each as an escape, on the call's own lines, and
/// no such character reaches the console. The status message escapes the id it echoes; the log escapes that message
/// again, as it does every value.
/// </summary>
[Requires(Need.Process)]
public sealed class LogForgingTests(OrdersApiProcessFixture fixture) : IClassFixture<OrdersApiProcessFixture>
{
    private static readonly Dictionary<string, (string Character, string Escape)> Kinds = new()
    {
        ["LF"] = ("\n", @"\n"),
        ["CR"] = ("\r", @"\r"),
        ["TAB"] = ("\t", @"\t"),
        ["ESC"] = ("\u001B[2J", @"\u001B[2J"),
        ["C1 CSI"] = ("\u009B2J", @"\u009B2J"),
        ["DEL"] = ("\u007F", @"\u007F"),
        ["LINE SEPARATOR"] = ("\u2028", @"\u2028"),
        ["RIGHT-TO-LEFT OVERRIDE"] = ("\u202E", @"\u202E"),
        ["backslash"] = (@"\n", @"\\n"),
    };

    public static TheoryData<string> KindNames => new(Kinds.Keys);

    private OrdersApiProcess Api => fixture.Api;

    [Theory]
    [MemberData(nameof(KindNames))]
    public async Task AnIdWithTheCharacter_IsEscapedInTheStatusMessage_AndOnTheServersConsole(string kind)
    {
        var (character, escape) = Kinds[kind];
        var (id, printableId) = ($"forged{character}line", $"forged{escape}line");
        using var channel = Api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        var (get, delete, update, process) = (NewRequestId(), NewRequestId(), NewRequestId(), NewRequestId());

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = id }, Headers(get)).ResponseAsync);
        var notDeleted = await Assert.ThrowsAsync<RpcException>(() => client.deleteOrderAsync(new StringValue { Value = id }, Headers(delete)).ResponseAsync);
        await client.UpdateAsync([new Order { Id = id, Items = { "A" }, Price = 1 }], new CallOptions(Headers(update)));
        await client.ProcessAsync([$"missing-{id}"], new CallOptions(Headers(process)), cancelAfter: null, keepRequestStreamOpen: false, onShipment: _ => { });

        // The client gets the id escaped in the message, and exactly in the ResourceInfo.
        Assert.Equal($"Order {printableId} not found.", missing.Status.Detail);
        Assert.Equal(id, missing.GetRpcStatus()!.GetDetail<ResourceInfo>().ResourceName);
        Assert.Equal($"Order with ID {printableId} not found", notDeleted.Status.Detail);

        var loggedDetail = printableId.Replace(@"\", @"\\", StringComparison.Ordinal);
        Assert.Contains($": Order {loggedDetail} not found.;", (await Api.CallLogAsync(get)).Ended, StringComparison.Ordinal);
        Assert.Contains($": Order with ID {loggedDetail} not found;", (await Api.CallLogAsync(delete)).Ended, StringComparison.Ordinal);
        await Api.CallLogAsync(update);
        await Api.CallLogAsync(process);
        var lines = Api.Output.Split('\n');
        Assert.Single(lines, line => line.Contains($"updateOrders: order {printableId} buffered (1 so far)", StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains($"processOrders: order missing-{printableId} not found;", StringComparison.Ordinal));
        Assert.DoesNotContain(Api.Output, IsUnprintable);
    }

    [Fact]
    public async Task AnIdWithANul_IsAnsweredInBand_AndEscapedOnTheServersConsole()
    {
        using var channel = Api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        var process = NewRequestId();
        var shipments = new List<CombinedShipment>();

        await client.ProcessAsync(["forged\0line"], new CallOptions(Headers(process)), cancelAfter: null, keepRequestStreamOpen: false, onShipment: shipments.Add);

        Assert.Equal("forged\0line", Assert.Single(Assert.Single(shipments).OrdersList).Id);
        await Api.CallLogAsync(process);
        Assert.Single(Api.Output.Split('\n'), line => line.Contains(@"processOrders: order forged\u0000line not found;", StringComparison.Ordinal));
        Assert.DoesNotContain(Api.Output, IsUnprintable);
    }

    // HTTP/2 forbids CR, LF and NUL in a header value, and the client sends only ASCII ones: these are the controls left.
    [Theory]
    [InlineData("TAB")]
    [InlineData("ESC")]
    [InlineData("DEL")]
    public async Task ARequestIdWithTheCharacter_IsEscapedOnTheServersConsole(string kind)
    {
        var (character, escape) = Kinds[kind];
        using var channel = Api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        var requestId = NewRequestId();

        await client.getOrderAsync(new StringValue { Value = "101" }, Headers($"{requestId}{character}forged"));

        var printableRequestId = $"{requestId}{escape}forged";
        Assert.Contains($"; request id {printableRequestId}", (await Api.CallLogAsync(printableRequestId)).Ended, StringComparison.Ordinal);
        Assert.Single(Api.Output.Split('\n'), line => line.Contains($"metadata: x-request-id={printableRequestId}", StringComparison.Ordinal) || line.Contains($", x-request-id={printableRequestId}", StringComparison.Ordinal));
        Assert.DoesNotContain(Api.Output, IsUnprintable);
    }

    private static string NewRequestId() => Guid.NewGuid().ToString("N");

    private static Metadata Headers(string requestId) => new() { { "x-request-id", requestId } };

    /// <summary>What a console line must not hold: a control character other than its own line end, or a line or bidi control.</summary>
    private static bool IsUnprintable(char c) =>
        (char.IsControl(c) && c != '\n') || c is '\u2028' or '\u2029' || (c is >= '\u202A' and <= '\u202E') || (c is >= '\u2066' and <= '\u2069');
}
