using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ecommerce;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api.BadInput;

/// <summary>
/// One Orders.Api on real Kestrel (loopback, h2c) shared by every bad-input case, with a raw HTTP/2 client, a gRPC
/// client, and what the server logged, traced and measured.
/// </summary>
public sealed class BadInputServer : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?>? settings;

    /// <summary>On its own SQLite file, as the class fixture of <see cref="BadInputTests"/>.</summary>
    public BadInputServer()
    {
    }

    /// <summary>With <paramref name="settings"/> over the test defaults (e.g. a PostgreSQL connection string); internal, since a class fixture has one public constructor.</summary>
    internal BadInputServer(IReadOnlyDictionary<string, string?> settings) => this.settings = settings;

    private OrdersApiFactory Factory { get; set; } = null!;

    private MetricCollector<double> Durations { get; set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public OrderManagement.OrderManagementClient Client { get; private set; } = null!;

    private GrpcChannel Channel { get; set; } = null!;

    public Task InitializeAsync()
    {
        Factory = new OrdersApiFactory(settings);
        Factory.UseKestrel(FreePort.Next());
        Factory.StartServer();
        Durations = new MetricCollector<double>(Factory.Services.GetRequiredService<IMeterFactory>(), "Orders.Api", "rpc.server.call.duration");
        var address = Factory.ClientOptions.BaseAddress;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Channel = GrpcChannel.ForAddress(address);
        Client = new OrderManagement.OrderManagementClient(Channel);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        Durations.Dispose();
        await Factory.DisposeAsync();
    }

    /// <summary>The interceptor's log lines for the call carrying <paramref name="requestId"/>.</summary>
    public IReadOnlyList<FakeLogRecord> CallLog(string requestId) => [.. Log
        .Where(r => r.Category == "Orders.Api.Interceptors.ServerCallTrackingInterceptor" && r.GetStructuredStateValue("OrdersRequestId") == requestId)];

    /// <summary>Everything the server logged so far.</summary>
    public IReadOnlyList<FakeLogRecord> Log => Factory.Services.GetFakeLogCollector().GetSnapshot();

    public Task<Activity> ServerSpanAsync(string requestId) => Factory.ServerSpanAsync(requestId);

    /// <summary>How many rpc.server.call.duration measurements so far carry <paramref name="method"/> and <paramref name="status"/>.</summary>
    public int DurationsRecorded(string method, string status) => Durations.GetMeasurementSnapshot()
        .Count(m => Equals(m.Tags["rpc.method"], method) && Equals(m.Tags.RpcStatusName(), status));
}
