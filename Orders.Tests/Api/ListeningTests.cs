using System.Net;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orders.Tests.Infrastructure;
using Orders.Api.Storage;
using ApiExtensions = Microsoft.Extensions.Hosting.OrdersApiExtensions;

namespace Orders.Tests.Api;

/// <summary>Where and how the service listens, and what its health endpoints report.</summary>
public sealed class ListeningTests
{
    [Fact]
    [Requires(Need.Process)]
    public async Task AddressFromAspNetCoreUrls_SpeaksH2c()
    {
        await using var api = await OrdersApiProcess.StartAsync(urlFromEnvironment: true);
        using var channel = api.CreateChannel();

        var order = await new OrderManagement.OrderManagementClient(channel).getOrderAsync(new StringValue { Value = "103" });

        Assert.Equal("103", order.Id);
    }

    [Fact]
    [Requires(Need.Process)]
    public async Task ProductionLogsAFailedCallButNotASuccessfulOne()
    {
        // appsettings.json's levels, as shipped: the per-call Debug lines stay off.
        await using var api = await OrdersApiProcess.StartAsync(environment: new Dictionary<string, string> { ["Logging__LogLevel__Orders.Api"] = "Information" });
        using var channel = api.CreateChannel();
        var client = new OrderManagement.OrderManagementClient(channel);

        await client.getOrderAsync(new StringValue { Value = "101" }, new Grpc.Core.Metadata { { "x-request-id", "prod-ok" } });
        var missing = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
            await client.getOrderAsync(new StringValue { Value = "999" }, new Grpc.Core.Metadata { { "x-request-id", "prod-missing" } }));

        Assert.Equal(Grpc.Core.StatusCode.NotFound, missing.StatusCode);
        var output = await Eventually.HoldsAsync(() => Task.FromResult(api.Output),
            text => text.Contains("ended NOT_FOUND", StringComparison.Ordinal) && text.Contains("request id prod-missing", StringComparison.Ordinal),
            "the failed call's end line");
        Assert.DoesNotContain("prod-ok", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" started from ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("urls", "http://127.0.0.1:5000", true)]
    [InlineData("http_ports", "8080", true)]
    [InlineData("Kestrel:Endpoints:grpc:Url", "http://127.0.0.1:5001", true)]
    public void DefaultAddressIsUsedOnlyWhenNoneIsConfigured(string? key, string? value, bool configured)
    {
        var settings = key is null ? [] : new Dictionary<string, string?> { [key] = value };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        Assert.Equal(configured, KestrelAddresses.Read(configuration).AreConfigured);
        Assert.Equal("http://127.0.0.1:50051", ApiExtensions.DefaultUrl);
    }

    [Fact]
    public async Task KestrelLimitsComeFromTheStandardConfigurationKeys()
    {
        await using var factory = new OrdersApiFactory(new Dictionary<string, string?>
        {
            ["Kestrel:Limits:Http2:MaxStreamsPerConnection"] = "7",
            ["Kestrel:Limits:Http2:KeepAlivePingDelay"] = "00:00:45",
            ["Kestrel:Limits:MaxConcurrentConnections"] = "500",
        });

        var limits = factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(7, limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(TimeSpan.FromSeconds(45), limits.Http2.KeepAlivePingDelay);
        Assert.Equal(500, limits.MaxConcurrentConnections);
    }

    /// <summary>docs/configuration.md, Request metadata limits: Kestrel's header limits default above the service's own, and stay settings.</summary>
    [Fact]
    public async Task KestrelHeaderLimits_DefaultAboveTheServicesMetadataLimits_AndComeFromConfiguration()
    {
        await using var defaults = new OrdersApiFactory();
        await using var configured = new OrdersApiFactory(new Dictionary<string, string?> { ["Kestrel:Limits:MaxRequestHeaderCount"] = "300" });

        var limits = defaults.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal((131_072, 2000, 131_072), (limits.MaxRequestHeadersTotalSize, limits.MaxRequestHeaderCount, limits.Http2.MaxRequestHeaderFieldSize));
        Assert.Equal(300, configured.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.MaxRequestHeaderCount);
    }

    [Fact]
    public async Task UnavailableStore_MakesHealthAndGrpcHealthReportNotServing()
    {
        await using var factory = new OrdersApiFactory(configureServices: services =>
            services.AddSingleton<IOrderStore>(new FailingOrderStore(() => new OrderStoreUnavailableException("disk gone"))));
        using var http = factory.CreateClient();

        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        using var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative));
        var grpcHealth = await new Health.HealthClient(factory.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, grpcHealth.Status);
    }

    [Fact]
    public async Task UnavailableStore_LeavesTheGrpcLivenessServiceServing()
    {
        await using var factory = new OrdersApiFactory(configureServices: services =>
            services.AddSingleton<IOrderStore>(new FailingOrderStore(() => new OrderStoreUnavailableException("disk gone"))));
        var health = new Health.HealthClient(factory.Channel);

        var readiness = await health.CheckAsync(new HealthCheckRequest { Service = "" });
        var liveness = await health.CheckAsync(new HealthCheckRequest { Service = ApiExtensions.LivenessHealthService });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, readiness.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, liveness.Status);
        Assert.Equal("liveness", ApiExtensions.LivenessHealthService);
    }

    [Fact]
    public async Task UnknownGrpcHealthService_IsNotFound()
    {
        await using var factory = new OrdersApiFactory();

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
            await new Health.HealthClient(factory.Channel).CheckAsync(new HealthCheckRequest { Service = "orders-store" }));

        Assert.Equal(Grpc.Core.StatusCode.NotFound, error.StatusCode);
    }
}
