using Ecommerce;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;
using Xunit.Abstractions;

namespace Orders.Tests.Api;

/// <summary>
/// docs/configuration.md (Request metadata limits): a large bearer token is served; past Kestrel's own limits the abusive connection
/// alone is closed, another connection's stream carries on, and the server's console gets a few lines, not a flood.
/// </summary>
public sealed class HeaderLimitsTests(ITestOutputHelper output)
{
    private const int KiB = 1024;

    /// <summary>HTTP/2 error codes (RFC 9113, section 7).</summary>
    private const int ProtocolError = 0x1;
    private const int CompressionError = 0x9;

    /// <summary>A 30 KiB token is realistic (many scopes, group or role claims); up to the service's 64 KiB limit is served.</summary>
    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    public async Task ALargeBearerToken_IsServed_WithAuthenticationOn(int kibibytes)
    {
        var tokens = new TestTokens();
        await using var api = new OrdersApiFactory(tokens.ApiSettings);
        api.UseKestrel(FreePort.Next());
        api.StartServer();
        using var channel = GrpcChannel.ForAddress(api.ClientOptions.BaseAddress);
        // Each scope "extra.scope.NNNN" adds about 23 characters to the base64url token.
        var token = tokens.Mint(string.Join(' ', ["orders.write", .. Enumerable.Range(1000, kibibytes * KiB / 23).Select(i => $"extra.scope.{i}")]));
        Assert.InRange(token.Length, (kibibytes - 1) * KiB, (kibibytes + 2) * KiB);

        var order = await new OrderManagement.OrderManagementClient(channel)
            .getOrderAsync(new StringValue { Value = "101" }, new Metadata { { "authorization", $"Bearer {token}" } });

        Assert.Equal(["Item - A", "Item - B"], order.Items);
    }

    /// <summary>
    /// Between Kestrel's header limits and twice them Kestrel refuses the request itself (HTTP 431, no grpc-status), so
    /// the service never sees the call; grpc-dotnet reads it as INTERNAL. The connection survives.
    /// </summary>
    [Fact]
    public async Task BetweenKestrelsCountAndTwiceIt_KestrelAnswers431_AndTheConnectionServesTheNextCall()
    {
        await using var api = new OrdersApiFactory();
        api.UseKestrel(FreePort.Next());
        api.StartServer();
        using var channel = GrpcChannel.ForAddress(api.ClientOptions.BaseAddress);
        var client = new OrderManagement.OrderManagementClient(channel);
        var headers = new Metadata();
        foreach (var i in Enumerable.Range(0, 2100))
        {
            headers.Add($"x-entry-{i}", "v");
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = "101" }, headers).ResponseAsync);

        output.WriteLine($"{error.StatusCode}: {error.Status.Detail}");
        Assert.Equal((StatusCode.Internal, "Bad gRPC response. HTTP status code: 431"), (error.StatusCode, error.Status.Detail));
        Assert.Equal(["Item - A", "Item - B"], (await client.getOrderAsync(new StringValue { Value = "101" })).Items);
    }

    public static TheoryData<string, int> OverKestrelsLimits => new()
    {
        { "one field over Kestrel's field size", CompressionError },
        { "headers over twice Kestrel's total size", ProtocolError },
        { "fields over twice Kestrel's count", ProtocolError },
    };

    [Theory]
    [MemberData(nameof(OverKestrelsLimits))]
    [Requires(Need.Process)]
    public async Task OverKestrelsLimits_OnlyThatConnectionCloses_AndTheConsoleGetsAFewLines(string abuse, int goAwayCode)
    {
        await using var api = await OrdersApiProcess.StartAsync();
        using var channel = api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        using var process = await OpenShipmentStreamAsync(client);
        var linesBefore = ConsoleLines(api.Output).Length;

        await using (var abusive = await RawHttp2Connection.OpenAsync(api.Address))
        {
            var reading = abusive.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
            await abusive.SendGrpcRequestAsync(1, "/ecommerce.OrderManagement/getOrder", Metadata(abuse), RawGrpcFrames.Frame(new StringValue { Value = "101" }.ToByteArray()));
            var end = await reading;
            output.WriteLine($"{abuse}: closed {end.Closed}, GOAWAY {end.GoAway?.ErrorCode}, frames {string.Join(' ', end.Frames.Select(f => f.Type))}");
            Assert.True(end.Closed, "The server kept the abusive connection open.");
            Assert.DoesNotContain(end.Frames, f => f.Type == Http2Frame.Headers);
            // The GOAWAY can be lost to the reset of a connection closed while the request was still arriving.
            Assert.Equal(goAwayCode, end.GoAway?.ErrorCode ?? goAwayCode);
        }

        await process.RequestStream.WriteAsync(new StringValue { Value = "104" });
        await process.RequestStream.CompleteAsync();
        while (await process.ResponseStream.MoveNext())
        {
        }

        Assert.Equal(StatusCode.OK, process.GetStatus().StatusCode);
        // A call after it: once its line is on the console, so is everything logged about the abusive connection.
        var requestId = Guid.NewGuid().ToString("N");
        await client.getOrderAsync(new StringValue { Value = "101" }, new Metadata { { "x-request-id", requestId } });
        await api.CallLogAsync(requestId);
        var lines = ConsoleLines(api.Output)[linesBefore..];
        output.WriteLine(string.Join('\n', lines));
        Assert.True(lines.Count(l => l.StartsWith("crit", StringComparison.Ordinal) || l.StartsWith("fail", StringComparison.Ordinal)) <= 1, string.Join('\n', lines));
    }

    /// <summary>
    /// The .NET client honours the header list size Kestrel announces (SETTINGS_MAX_HEADER_LIST_SIZE, counting 32 bytes
    /// per field): it fails a call past it itself, so the connection and its other calls never see it.
    /// </summary>
    [Fact]
    [Requires(Need.Process)]
    public async Task PastKestrelsAnnouncedHeaderListSize_TheDotNetClientFailsTheCallItself_AndItsConnectionCarriesOn()
    {
        await using var api = await OrdersApiProcess.StartAsync();
        using var channel = api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);
        using var process = await OpenShipmentStreamAsync(client);
        var headers = new Metadata();
        foreach (var (name, value) in Metadata("fields over twice Kestrel's count"))
        {
            headers.Add(name, value);
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(new StringValue { Value = "101" }, headers).ResponseAsync);
        await process.RequestStream.WriteAsync(new StringValue { Value = "104" });
        await process.RequestStream.CompleteAsync();
        while (await process.ResponseStream.MoveNext())
        {
        }

        Assert.Equal(StatusCode.Internal, refused.StatusCode);
        Assert.Contains("The HTTP request headers length exceeded the server limit of 131072 bytes.", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.OK, process.GetStatus().StatusCode);
    }

    private static KeyValuePair<string, string>[] Metadata(string abuse) => abuse switch
    {
        "one field over Kestrel's field size" => [new("x-padding", new string('p', 129 * KiB))],
        "headers over twice Kestrel's total size" => [.. Enumerable.Range(0, 3).Select(i => new KeyValuePair<string, string>($"x-padding-{i}", new string('p', 100 * KiB)))],
        _ => [.. Enumerable.Range(0, 4100).Select(i => new KeyValuePair<string, string>($"x-entry-{i}", "v"))],
    };

    private static string[] ConsoleLines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A processOrders stream open on both sides: three found orders, so the server has flushed a shipment.</summary>
    private static async Task<AsyncDuplexStreamingCall<StringValue, CombinedShipment>> OpenShipmentStreamAsync(OrderManagement.OrderManagementClient client)
    {
        var process = client.processOrders();
        foreach (var id in new[] { "101", "102", "103" })
        {
            await process.RequestStream.WriteAsync(new StringValue { Value = id });
        }

        Assert.True(await process.ResponseStream.MoveNext());
        return process;
    }
}
