using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orders.Tests.GrpcInsights;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.ServiceDefaults;

/// <summary>A service told where to export (OTEL_EXPORTER_OTLP_ENDPOINT, as an AppHost sets it) sends its spans there.</summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task AServiceGivenAnOtlpEndpoint_ExportsItsSpansThere()
    {
        await using var insights = await InsightsHost.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = insights.OtlpGrpcUrl.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync();

        // Any source under the solution's wildcard is traced.
        using var source = new ActivitySource("Orders.ExportTest");
        string traceId;
        using (var span = source.StartActivity("exported"))
        {
            traceId = Assert.IsType<Activity>(span).TraceId.ToHexString();
        }

        await Eventually.HoldsAsync(() => Task.FromResult(insights.Store.Traces.Get(traceId)), trace => trace is not null, "the span in the insights");
        await host.StopAsync();
    }
}
