using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orders.Tests.Infrastructure;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Client;

/// <summary>
/// HTTP/2 caps the streams open at once on one connection (Kestrel:Limits:Http2:MaxStreamsPerConnection). The client's
/// channel opens another connection when one is full, so streams left open never starve the calls behind them.
/// </summary>
[Requires(Need.Process)]
public sealed class ClientConnectionTests
{
    private static readonly TimeSpan OpenBound = TimeSpan.FromSeconds(20);

    /// <param name="maxStreamsPerConnection">The server's setting; null leaves Kestrel's default (100). Far below it, the
    /// test stays small and shows the setting is read.</param>
    [Theory]
    [InlineData(10, 15)]
    [InlineData(null, 150)]
    public async Task StreamsHeldOpenBeyondTheServersPerConnectionLimit_DoNotStarveAGetOrderOnTheSameClient(int? maxStreamsPerConnection, int idleStreams)
    {
        var settings = new Dictionary<string, string>
        {
            // Each id is shipped at once, so the shipment proves its stream is open on the server.
            ["Orders__Processing__BatchSize"] = "1",
        };
        if (maxStreamsPerConnection is { } limit)
        {
            settings["Kestrel__Limits__Http2__MaxStreamsPerConnection"] = $"{limit}";
        }

        await using var api = await OrdersApiProcess.StartAsync(environment: settings);
        await using var services = InProcessOrdersClient.ForAddress(api.Address);
        var client = services.GetRequiredService<OrderManagementClient>();
        // A client already talking to the server: its connection knows the limit. (Until the server's SETTINGS arrive a
        // client assumes 100 streams, so a burst on a fresh connection would overrun a limit set lower; see docs/configuration.md, Connections and streams.)
        await client.getOrderAsync(new StringValue { Value = "101" }, deadline: DateTime.UtcNow.AddSeconds(10));
        using var idle = new CancellationTokenSource();
        // An explicit deadline: the client's default (10 s) would end the idle streams and free their slots mid-test.
        var streamOptions = new CallOptions(deadline: DateTime.UtcNow.AddMinutes(2), cancellationToken: idle.Token);
        var streams = Enumerable.Range(0, idleStreams).Select(_ => client.processOrders(streamOptions)).ToList();
        try
        {
            var opened = streams.Select(FirstShipmentAsync).ToList();
            await Task.WhenAny(Task.WhenAll(opened), Task.Delay(OpenBound));
            Assert.True(
                opened.All(t => t.IsCompletedSuccessfully),
                $"Only {opened.Count(t => t.IsCompletedSuccessfully)} of {idleStreams} streams were open on the server after {OpenBound}; "
                + string.Join(" | ", opened.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!.Message)));

            var order = await client.getOrderAsync(new StringValue { Value = "102" }, deadline: DateTime.UtcNow.AddSeconds(5));

            Assert.Equal("102", order.Id);
        }
        finally
        {
            await idle.CancelAsync();
            streams.ForEach(stream => stream.Dispose());
        }
    }

    private static async Task FirstShipmentAsync(AsyncDuplexStreamingCall<StringValue, CombinedShipment> stream)
    {
        await stream.RequestStream.WriteAsync(new StringValue { Value = "101" });
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains(stream.ResponseStream.Current.OrdersList, order => order.Id == "101");
    }
}
