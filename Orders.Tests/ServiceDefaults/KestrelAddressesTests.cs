using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Orders.Tests.ServiceDefaults;

/// <summary>Which addresses an app refuses at start: those Kestrel would listen on other than as written, or fail on with a stack trace.</summary>
public sealed class KestrelAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:50051")]
    [InlineData("HTTPS://localhost:5001/")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://*:80")]
    [InlineData("http://+:0")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://unix:/tmp/orders.sock")]
    public void AnAddressKestrelListensOnAsWrittenIsAccepted(string url) => Assert.Null(KestrelAddresses.WhyUnusable(url));

    [Theory]
    // Kestrel would listen on http://[::]:80 for each of these four.
    [InlineData("http://127.0.0.1:5O51", "':5O51' after the host is not ':' and a port from 0 to 65535")]
    [InlineData("http://localhost:", "':' after the host is not ':' and a port from 0 to 65535")]
    [InlineData("http://[::1]:x", "':x' after the host is not ':' and a port from 0 to 65535")]
    [InlineData("http://[::1", "its IPv6 host has no closing ]")]
    // Kestrel would end with an unhandled exception for these.
    [InlineData("http://127.0.0.1:99999", "':99999' after the host is not ':' and a port from 0 to 65535")]
    [InlineData("127.0.0.1:50051", "it starts with no http:// or https://")]
    [InlineData("grpc://127.0.0.1:50051", "'grpc' is not http or https")]
    [InlineData("http://:50051", "it names no host")]
    public void AnAddressKestrelWouldMisreadIsRefusedWithWhy(string url, string reason) => Assert.Equal(reason, KestrelAddresses.WhyUnusable(url));

    [Theory]
    [InlineData("urls", "http://127.0.0.1:50051;http://127.0.0.1:5O52", "urls: 'http://127.0.0.1:5O52' is not an address to listen on: ':5O52' after the host is not ':' and a port from 0 to 65535 (e.g. http://127.0.0.1:5000).")]
    [InlineData("Kestrel:Endpoints:grpc:Url", "http//127.0.0.1:5001", "Kestrel:Endpoints:grpc:Url: 'http//127.0.0.1:5001' is not an address to listen on: it starts with no http:// or https:// (e.g. http://127.0.0.1:5000).")]
    [InlineData("https_ports", "443;44e", "https_ports: '44e' is not a port: a number from 0 to 65535 is.")]
    public void TheRefusalNamesTheKeyAndTheAddress(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var refusal = Assert.Throws<BadSettingException>(() => KestrelAddresses.Read(configuration).ThrowIfUnusable());

        Assert.Equal(message, refusal.Message);
    }

    [Fact]
    public void ConfiguredAddressesThatAreAllUsableAreAccepted()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:50051; http://localhost:5001",
            ["http_ports"] = "8080",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:5002",
        }).Build();

        KestrelAddresses.Read(configuration).ThrowIfUnusable();
    }
}
