using Ecommerce;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using System.Diagnostics;
using Orders.Api.Services;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// Orders.Api in memory (TestServer) on its own temp SQLite file, with fake logging and an in-memory span exporter.
/// Settings and service overrides are applied on top of appsettings.json.
/// </summary>
/// <remarks>The factory finds the app by any public type of its entry assembly; the service is the one it is about.</remarks>
public sealed class OrdersApiFactory : WebApplicationFactory<OrderManagementService>
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureServices;
    private readonly bool ownsDataDirectory;
    private GrpcChannel? channel;

    public OrdersApiFactory(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null, string? dataDirectory = null)
    {
        ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("orders-tests-").FullName;
        this.configureServices = configureServices;
        this.settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:orders"] = $"Data Source={DatabasePath}",
            ["Orders:SeedSampleData"] = "true",
            ["Orders:FaultInjection:Enabled"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "orders.db");

    /// <summary>Every span the host's tracer provider exported (all Orders.* sources, so filter by request id).</summary>
    public SpanCollection ExportedSpans { get; } = new();

    /// <summary>What the host's meter provider exported; call <see cref="FlushMetrics"/> first.</summary>
    public List<MetricSnapshot> ExportedMetrics { get; } = [];

    /// <summary>Collects every instrument now, so <see cref="ExportedMetrics"/> holds the totals so far.</summary>
    public void FlushMetrics()
    {
        ExportedMetrics.Clear();
        Services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    public OrderManagement.OrderManagementClient CreateOrdersClient() => new(Channel);

    public GrpcChannel Channel => channel ??= GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    /// <summary>The finished server span of the call carrying <paramref name="requestId"/>, waiting (bounded) for it to end.</summary>
    public Task<Activity> ServerSpanAsync(string requestId) =>
        ExportedSpans.WaitForAsync(span => IsServerSpanOf(span, requestId), $"server span with request id {requestId}");

    /// <summary>
    /// Whether <paramref name="span"/> is the server span of the call carrying <paramref name="requestId"/>: ASP.NET
    /// Core's request span, which the interceptor makes the call's. Every host in the test process exports every
    /// host's request spans, so they are told apart by request id.
    /// </summary>
    public static bool IsServerSpanOf(Activity span, string requestId) =>
        span.Kind == ActivityKind.Server && requestId.Equals(span.GetTagItem("orders.request_id") as string, StringComparison.Ordinal);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // Tests read the fake logger (each call's start record too, which is Trace); console copies of every host's logs
        // would bury the test results in CI output.
        builder.ConfigureLogging(logging => logging.AddFakeLogging().AddFilter<ConsoleLoggerProvider>(_ => false).AddFilter("Orders.Api", LogLevel.Trace));
        builder.ConfigureServices(services =>
        {
            // Always on: other hosts in this test process may send a not-sampled traceparent, which parent-based sampling would honour.
            services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(ExportedSpans))
                .WithMetrics(metrics => metrics.AddInMemoryExporter(ExportedMetrics));
            configureServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        channel?.Dispose();
        await base.DisposeAsync();
        if (ownsDataDirectory)
        {
            // Pooled connections keep the file open; release them before deleting the folder.
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Leftover temp files are harmless.
            }
        }
    }
}
