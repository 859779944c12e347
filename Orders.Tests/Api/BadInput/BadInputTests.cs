using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;

namespace Orders.Tests.Api.BadInput;

/// <summary>
/// Every row of <see cref="BadInputTable"/> against one real Kestrel: the caller gets the row's status and message,
/// the interceptor logs, traces and measures the call with that status, nothing of it is stored, and the server
/// still serves the next call.
/// </summary>
public sealed class BadInputTests(BadInputServer server) : IClassFixture<BadInputServer>
{
    public static TheoryData<string> Cases => new(BadInputTable.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public Task GetsAPreciseStatus_IsObserved_StoresNothing_AndTheServerStillServes(string name) => CheckAsync(server, BadInputTable.Find(name));

    /// <summary>The checks of one row against <paramref name="server"/> (also run by <see cref="PostgresBadInputTests"/>).</summary>
    internal static async Task CheckAsync(BadInputServer server, BadInputCase row)
    {
        var status = GrpcStatusNames.Of((int)row.Status);
        var requestId = Guid.NewGuid().ToString("N");
        var measuredBefore = server.DurationsRecorded(row.Rpc, status);

        var outcome = await row.Send(server, requestId);

        Assert.Equal(row.Status, outcome.Status);
        Assert.Contains(row.Message, outcome.Text, StringComparison.Ordinal);
        if (row.Observed)
        {
            await AssertObservedAsync(server, row, requestId, status, outcome.Detail, measuredBefore);
        }
        else
        {
            Assert.Empty(server.CallLog(requestId));
        }

        foreach (var id in row.NotStored ?? [])
        {
            var missing = await Assert.ThrowsAsync<RpcException>(() => server.Client.getOrderAsync(new StringValue { Value = id }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        }

        Assert.Equal(["Item - A", "Item - B"], (await server.Client.getOrderAsync(new StringValue { Value = "101" })).Items);
    }

    [Fact]
    public void EveryRpcOfTheContractHasBadInputRows() =>
        // An RPC added to protos/order_management.proto fails this until the table sends it bad input too.
        Assert.Superset(Ecommerce.OrderManagement.Descriptor.Methods.Select(m => m.Name).ToHashSet(), BadInputTable.All.Select(c => c.Rpc).ToHashSet());

    [Theory]
    [InlineData(0, StatusCode.InvalidArgument, "id: At most 64 characters (got 4194299).")]
    [InlineData(1, StatusCode.ResourceExhausted, "The request message is 4194305 bytes; at most 4194304 are accepted.")]
    public async Task AMessageOfExactlyTheSizeLimitIsRead_OneByteMoreIsNot(int bytesOverTheLimit, StatusCode status, string message)
    {
        // A StringValue this long is a tag byte, a 4-byte length and the characters: the validator answers one that was read.
        var request = new StringValue { Value = new string('7', BadInputTable.Limit + bytesOverTheLimit - 5) };
        Assert.Equal(BadInputTable.Limit + bytesOverTheLimit, request.CalculateSize());

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.getOrderAsync(request).ResponseAsync);

        var outcome = CallOutcome.Of(error);
        Assert.Equal(status, outcome.Status);
        Assert.Contains(message, outcome.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("getOrder", new byte[0])]
    [InlineData("processOrders", new byte[] { 0, 0, 0, 0, 5, 0x0A, 0x03, (byte)'1', (byte)'0', (byte)'1' })]
    public async Task AnUnsupportedEncoding_IsAnsweredWithTheEncodingsTheServerAccepts(string method, byte[] soundFramesFirst)
    {
        byte[] body = [.. soundFramesFirst, .. RawGrpcFrames.Frame(RawGrpcFrames.Gzip([0x0A, 0x01, (byte)'x']), 1)];

        var outcome = await RawGrpc.SendAsync(server.Http, method, body, Guid.NewGuid().ToString("N"), new Dictionary<string, string> { ["grpc-encoding"] = "br" });

        Assert.Equal((StatusCode.Unimplemented, "identity,gzip,deflate"), (outcome.Status, outcome.AcceptEncoding));
    }

    private static async Task AssertObservedAsync(BadInputServer server, BadInputCase row, string requestId, string status, string detail, int measuredBefore)
    {
        var rpc = row.Rpc;
        var span = await server.ServerSpanAsync(requestId);
        Assert.Equal(status, span.RpcStatusName());
        Assert.Equal(rpc, span.GetTagItem("rpc.method"));

        var log = server.CallLog(requestId);
        Assert.Single(log, r => r.Id.Name == "GrpcCallStarted");
        var ended = Assert.Single(log, ServerCallRecords.IsCallEnd);
        Assert.Equal((status, detail), (ended.GetStructuredStateValue("StatusCode"), ended.GetStructuredStateValue("StatusDetail") ?? ""));
        // The caller's fault is a warning at most: no stack trace, no error-level line.
        Assert.Equal((status == "OK" ? LogLevel.Debug : LogLevel.Warning, null), (ended.Level, ended.Exception));
        // A message that could not be read is not counted; the sound one before it in a stream is.
        int? received = row.Category switch
        {
            BadInputTable.MalformedSingleCategory => 0,
            BadInputTable.MalformedStreamCategory => 1,
            _ => null,
        };
        if (received is not null)
        {
            Assert.Equal(received, ended.GetStructuredStateValue("MessagesReceived") is { } count ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : null);
        }

        Assert.True(
            await Eventually.WithinAsync(() => server.DurationsRecorded(rpc, status) == measuredBefore + 1, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10)),
            $"rpc.server.call.duration for {rpc} {status} was not recorded once.");
    }
}
