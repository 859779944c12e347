using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using ApiExtensions = Microsoft.Extensions.Hosting.OrdersApiExtensions;

namespace Orders.Tests.Api;

/// <summary>How the healthcheck command reads, from Orders.Api's configuration, where and how to probe it.</summary>
public sealed class HealthCheckTargetTests
{
    [Theory]
    [InlineData(null, null, null, "http://127.0.0.1:50051/")]
    [InlineData("http://127.0.0.2:5000", null, null, "http://127.0.0.2:5000/")]
    [InlineData("http://[::1]:5000", null, null, "http://[::1]:5000/")]
    [InlineData("http://[::]:5000", null, null, "http://127.0.0.1:5000/")]
    [InlineData("http://orders-api:5000", "8080", null, "http://127.0.0.1:5000/")]
    [InlineData(null, "8080", null, "http://127.0.0.1:8080/")]
    [InlineData("http://127.0.0.1:5000", "8080", "http://*:6000", "http://127.0.0.1:6000/")]
    public void KestrelsOrderDecides(string? urls, string? httpPorts, string? endpointUrl, string expected)
    {
        var target = ApiExtensions.OwnHealthCheckTarget(Configuration(
            ("urls", urls), ("http_ports", httpPorts), ("Kestrel:Endpoints:grpc:Url", endpointUrl)));

        Assert.Equal(new Uri(expected), target.BaseAddress);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("Http2", null, true)]
    [InlineData("Http1AndHttp2", null, false)]
    [InlineData("Http2", "Http1", false)]
    public void AnHttp2OnlyEndpointIsProbedWithHttp2(string? defaults, string? endpoint, bool http2Only)
    {
        var target = ApiExtensions.OwnHealthCheckTarget(Configuration(
            ("Kestrel:EndpointDefaults:Protocols", defaults),
            ("Kestrel:Endpoints:grpc:Url", endpoint is null ? null : "http://127.0.0.1:5000"),
            ("Kestrel:Endpoints:grpc:Protocols", endpoint)));

        Assert.Equal(http2Only, target.Http2Only);
    }

    [Theory]
    [InlineData("urls", "https://127.0.0.1:5001", "No http:// address to probe among 'https://127.0.0.1:5001'.")]
    [InlineData("https_ports", "5001", "No http:// address to probe among 'https://+:5001'.")]
    [InlineData("Kestrel:Endpoints:tls:Url", "https://127.0.0.1:5001", "Kestrel:Endpoints has no http:// endpoint to probe.")]
    public void AnHttpsOnlyServiceCannotBeProbed(string key, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiExtensions.OwnHealthCheckTarget(Configuration((key, value))));

        Assert.Equal(message, error.Message);
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Where(setting => setting.Value is not null).Select(setting => KeyValuePair.Create(setting.Key, setting.Value)))
            .Build();
}
