using Microsoft.Playwright;
using OpenTelemetry.Exporter;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// One insights host filled with a realistic set of calls through the real OTLP/gRPC exporter, and one headless Debian
/// Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class InsightsBrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public InsightsHost Insights { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public OtlpTelemetryEmitter Emitter { get; private set; } = null!;
    public string DeadlineTraceId { get; private set; } = "";
    public string ProcessOrdersTraceId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Insights = await InsightsHost.StartAsync();
        Emitter = new OtlpTelemetryEmitter(Insights.OtlpGrpcUrl, OtlpExportProtocol.Grpc);
        Emitter.EmitCall(new SampleCall("getOrder", "OK", ServerMs: 3));
        Emitter.EmitCall(new SampleCall("getOrder", "NOT_FOUND", ServerMs: 2));
        DeadlineTraceId = Emitter.EmitCall(new SampleCall("addOrder", "DEADLINE_EXCEEDED", DeadlineMs: 100, ServerMs: 104) { HandlerCancelled = true });
        ProcessOrdersTraceId = Emitter.EmitCall(new SampleCall("processOrders", "CANCELLED", "duplex_streaming", DeadlineMs: 10_000, ServerMs: 45)
        {
            MessagesReceived = 3,
            MessagesSent = 1,
            HandlerCancelled = true,
            NotFoundOrderIds = ["999"],
        });
        Emitter.EmitCall(new SampleCall("searchOrders", "OK", "server_streaming", DeadlineMs: 10_000, ServerMs: 12) { MessagesSent = 4 });
        Emitter.EmitCall(new SampleCall("updateOrders", "OK", "client_streaming", DeadlineMs: 10_000, ServerMs: 9) { MessagesReceived = 3 });
        Emitter.EmitCall(new SampleCall("addOrder", "INVALID_ARGUMENT", DeadlineMs: 10_000, ServerMs: 1));
        Emitter.Flush();
        await Eventually.HoldsAsync(() => Task.FromResult(Insights.Store.Traces.Calls(100).Count(c => c.Server is not null && c.Client is not null)),
            count => count >= 7, "the seeded calls with both sides");

        playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(playwright);
    }

    public Task<IPage> OpenAsync(string path) => Chromium.OpenAsync(Browser, Insights.FrontendUrl, path);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        Emitter?.Dispose();
        if (Insights is not null)
        {
            await Insights.DisposeAsync();
        }
    }
}
