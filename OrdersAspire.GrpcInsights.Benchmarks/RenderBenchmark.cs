using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using Microsoft.Playwright;
using OrdersAspire.GrpcInsights.Otlp;
using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.TestHarness;

namespace OrdersAspire.GrpcInsights.Benchmarks;

/// <summary>How fast the traces list and the calls page are with the store full (10k traces): queries alone, and the traces page in a real browser.</summary>
internal static class RenderBenchmark
{
    public static void Fill(InsightsHost insights, int traceCount)
    {
        var ingestor = insights.Services.GetRequiredService<OtlpIngestor>();
        for (var filled = 0; filled < traceCount; filled += 500)
        {
            ingestor.Export(SampleTelemetry.Traces(Math.Min(500, traceCount - filled)));
        }
    }

    /// <summary>Mean microseconds of one traces-list query (100 rows) with the given filter.</summary>
    public static double QueryMicroseconds(TelemetryStore store, TraceQuery query, int iterations = 500)
    {
        store.Traces.Query(query);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            store.Traces.Query(query);
        }

        return clock.Elapsed.TotalMicroseconds / iterations;
    }

    /// <summary>Mean microseconds to gather what the gRPC calls page shows: every call of the store and its matrix.</summary>
    public static double CallsPageMicroseconds(TelemetryStore store, int iterations = 20)
    {
        GrpcCallMatrix.From(store.Traces.Calls(store.Limits.MaxTraceCount));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            GrpcCallMatrix.From(store.Traces.Calls(store.Limits.MaxTraceCount));
        }

        return clock.Elapsed.TotalMicroseconds / iterations;
    }

    /// <summary>Median milliseconds from navigation to 100 rendered rows, and from a status filter change to the narrowed list.</summary>
    public static async Task<(double Load, double Filter)> BrowserMillisecondsAsync(InsightsHost insights, int runs)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var loads = new List<double>();
        var filters = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var page = await browser.NewPageAsync();
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(insights.FrontendUrl, "/traces").ToString());
            await page.Locator("#traces > tbody > tr").Nth(99).WaitForAsync();
            loads.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            await page.SelectOptionAsync("#trace-status", "NOT_FOUND");
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#traces > tbody > tr')].every(r => r.textContent.includes('NOT_FOUND'))");
            filters.Add(clock.Elapsed.TotalMilliseconds);
            await page.CloseAsync();
        }

        return (Median(loads), Median(filters));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
