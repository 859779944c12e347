using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Orders.Tests.ServiceDefaults;

/// <summary>What a service's log line carries to the Aspire dashboard: its message as written and the scopes around it.</summary>
public sealed partial class ExportedLogTests
{
    [Fact]
    public void ALogLineIsExportedWithItsFormattedMessageAndItsScopes()
    {
        var exported = new List<(string? Message, List<KeyValuePair<string, object?>> Scopes)>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddServiceDefaults();
        builder.Logging.AddOpenTelemetry(logging => logging.AddProcessor(new Capture(exported)));
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.Test");

        using (logger.BeginScope(new Dictionary<string, object?> { ["OrdersRequestId"] = "r-1" }))
        {
            OrderShipped(logger, "101");
        }

        var (message, scopes) = Assert.Single(exported);
        Assert.Equal("Order 101 shipped", message);
        Assert.Contains(KeyValuePair.Create<string, object?>("OrdersRequestId", "r-1"), scopes);
    }

    [LoggerMessage(EventId = 1, EventName = "OrderShipped", Level = LogLevel.Information, Message = "Order {OrderId} shipped")]
    private static partial void OrderShipped(ILogger logger, string orderId);

    /// <summary>Copies what the exporters would send: the SDK reuses its log records once exported.</summary>
    private sealed class Capture(List<(string?, List<KeyValuePair<string, object?>>)> exported) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            var scopes = new List<KeyValuePair<string, object?>>();
            data.ForEachScope(
                (scope, into) =>
                {
                    foreach (var pair in scope)
                    {
                        into.Add(pair);
                    }
                },
                scopes);
            exported.Add((data.FormattedMessage, scopes));
        }
    }
}
