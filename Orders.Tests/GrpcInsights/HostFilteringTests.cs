using System.Net.Sockets;
using System.Text;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Security;
using Microsoft.Extensions.Configuration;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The insights answer only to their own names: on loopback, only loopback host names (any port) — a DNS-rebinding page
/// sends its own name and gets 400 from the UI, the JSON API and OTLP/HTTP alike. Raw Host headers over real Kestrel.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class HostFilteringTests
{
    [Theory]
    [InlineData("localhost", 200)]
    [InlineData("localhost:1234", 200)]
    [InlineData("LOCALHOST:18888", 200)]
    [InlineData("127.0.0.1", 200)]
    [InlineData("[::1]:5", 200)]
    [InlineData("evil.example", 400)]
    [InlineData("evil.example:18888", 400)]
    [InlineData("localhost.evil.example", 400)]
    [InlineData("127.0.0.2", 400)]
    public async Task OnLoopbackOnlyLoopbackNamesAreAnswered(string host, int expected)
    {
        await using var insights = await InsightsHost.StartAsync();

        Assert.Equal(expected, await StatusAsync(insights.FrontendUrl, "GET", "/api/status", host));
        Assert.Equal(expected, await StatusAsync(insights.FrontendUrl, "GET", "/traces", host));
        Assert.Equal(expected, await StatusAsync(insights.OtlpHttpUrl, "POST", "/v1/traces", host, "application/x-protobuf", []));
    }

    [Fact]
    public async Task ConfiguredAllowedHostsReplaceTheLoopbackNames()
    {
        await using var insights = await InsightsHost.StartAsync("AllowedHosts=insights.example;*.corp.example");

        Assert.Equal(200, await StatusAsync(insights.FrontendUrl, "GET", "/api/status", "insights.example:443"));
        Assert.Equal(200, await StatusAsync(insights.FrontendUrl, "GET", "/api/status", "a.corp.example"));
        Assert.Equal(400, await StatusAsync(insights.FrontendUrl, "GET", "/api/status", "localhost"));
    }

    [Fact]
    public void BeyondLoopbackAnyNameIsAnsweredUnlessConfigured()
    {
        Assert.Equal(AllowedHostNames.Loopback, AllowedHostNames.For(Configuration([]), Endpoints([])));
        Assert.Equal(["*"], AllowedHostNames.For(Configuration([]), Endpoints([("urls", "http://0.0.0.0:18888")])));
        Assert.Equal(["*"], AllowedHostNames.For(Configuration([]), Endpoints([(InsightsEndpoints.OtlpHttpUrlKey, "http://10.0.0.5:18890")])));
        Assert.Equal(["insights.example"], AllowedHostNames.For(Configuration([("AllowedHosts", "insights.example")]), Endpoints([("urls", "http://0.0.0.0:18888")])));
    }

    /// <summary>One HTTP/1.1 request written by hand, so the Host header is exactly what a rebinding page would send.</summary>
    private static async Task<int> StatusAsync(Uri server, string method, string path, string host, string? contentType = null, byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        if (body is not null)
        {
            head.Append($"Content-Type: {contentType}\r\nContent-Length: {body.Length}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        await stream.WriteAsync(body ?? []);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? "";
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IConfiguration Configuration((string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static InsightsEndpoints Endpoints((string Key, string Value)[] settings) => InsightsEndpoints.FromConfiguration(Configuration(settings));
}
