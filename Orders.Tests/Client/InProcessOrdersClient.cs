using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Client.Commands;
using Orders.Client.Hosting;
using Orders.Tests.Api;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Client;

/// <summary>The client's real registration (factory-made client + interceptor) wired to Orders.Api in memory, or to a real address.</summary>
public static class InProcessOrdersClient
{
    /// <summary>The client's own build output: its appsettings.json, not whatever the test folder collected from every app.</summary>
    public static string ContentRoot { get; } = Path.GetDirectoryName(RepositoryPaths.ProjectOutput("Orders.Client"))!;

    /// <summary>The real command line, in process, reading its settings from <see cref="ContentRoot"/>.</summary>
    public static async Task<CommandResult> RunCommandLineAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await new OrdersCommandLine(stdout, stderr, ContentRoot).InvokeAsync(args);
        return new CommandResult("Orders.Client (in process)", exitCode, stdout.ToString(), stderr.ToString());
    }

    public static ServiceProvider Create(OrdersApiFactory api, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var services = Register(api.Server.BaseAddress, settings);
        // Same client, same interceptor; only the transport is the in-memory test server instead of a socket.
        services.AddHttpClient(nameof(OrderManagementClient)).ConfigurePrimaryHttpMessageHandler(() => api.Server.CreateHandler());
        return services.BuildServiceProvider();
    }

    /// <summary>The client exactly as Orders.Client builds it, transport included (its own HTTP/2 connections over sockets).</summary>
    /// <param name="minimumLogLevel">The least level the fake logger collects (Trace to read Grpc.Net.Client's own connection lines).</param>
    public static ServiceProvider ForAddress(
        Uri address, IReadOnlyDictionary<string, string?>? settings = null, LogLevel minimumLogLevel = LogLevel.Information) =>
        Register(address, settings, minimumLogLevel).BuildServiceProvider();

    private static ServiceCollection Register(Uri address, IReadOnlyDictionary<string, string?>? settings, LogLevel minimumLogLevel = LogLevel.Information)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build())
            // Lines carry the trace of the Activity current when they were written, as OpenTelemetry's log exporter sends them.
            .AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(minimumLogLevel)
                .Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId))
            .AddMetrics();
        services.AddOrdersClient(address);
        return services;
    }
}
