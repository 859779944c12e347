using System.Globalization;
using OrdersAspire.TestHarness;

namespace Orders.Api.Benchmarks;

/// <summary>
/// getOrder("101") through h2load on the bare grpc-dotnet baseline, Orders.Api in each telemetry configuration and the
/// Python grpcio contract server, in interleaved rounds (each server once per round, all kept up). The exporting rows also
/// count what reached their receiver: the insights (standalone OTLP receiver) or the real Aspire dashboard, every trace
/// or the load-test sample (<see cref="OtlpExport.LoadTestRatio"/>).
/// </summary>
internal static class GetOrderSideBySide
{
    public const int Clients = 4;
    public const int StreamsPerClient = 8;

    // Rows held to a performance target.
    private const int Shipped = 2;
    private const int ExportingToInsights = 3;
    private const int AspireAlwaysOn = 5;
    private const int Python = 7;

    /// <summary>A configuration; <paramref name="Receiver"/> and <paramref name="Ratio"/> for the rows that export.</summary>
    private sealed record Contender(string Name, (ServerProcess Server, Uri Address) Server, ITelemetryReceiver? Receiver = null, double Ratio = 1);

    public static async Task<ResultTable> RunAsync(HarnessOptions options)
    {
        if (!H2Load.IsInstalled)
        {
            throw new InvalidOperationException("h2load not found: apt-get install nghttp2-client (benchmarks/run.sh does).");
        }

        await using var resources = new RunResources();
        var insights = resources.Add(await InsightsReceiver.StartAsync());
        var sampledInsights = resources.Add(await InsightsReceiver.StartAsync());
        var aspire = resources.Add(await AspireDashboardReceiver.StartAsync());
        var sampledAspire = resources.Add(await AspireDashboardReceiver.StartAsync());
        var sampled = OtlpExport.Describe(OtlpExport.LoadTestRatio);
        Contender[] contenders =
        [
            new("bare grpc-dotnet (benchmarks/BareOrders.Server)", resources.Add(await Servers.StartBareAsync())),
            new("Orders.Api, telemetry off (OTEL_SDK_DISABLED, Warning logs)", resources.Add(await Servers.StartApiAsync(new Dictionary<string, string>
            {
                ["OTEL_SDK_DISABLED"] = "true",
                ["Logging__LogLevel__Default"] = "Warning",
            }))),
            new("Orders.Api as shipped: all telemetry on, no export", resources.Add(await Servers.StartApiAsync(new Dictionary<string, string>()))),
            new("Orders.Api exporting to the insights, always_on", resources.Add(await Servers.StartApiAsync(OtlpExport.To(insights.OtlpGrpc, 1))), insights),
            new($"Orders.Api exporting to the insights, {sampled}", resources.Add(await Servers.StartApiAsync(OtlpExport.To(sampledInsights.OtlpGrpc, OtlpExport.LoadTestRatio))),
                sampledInsights, OtlpExport.LoadTestRatio),
            new("Orders.Api exporting to the Aspire dashboard, always_on", resources.Add(await Servers.StartApiAsync(OtlpExport.To(aspire.OtlpGrpc, 1))), aspire),
            new($"Orders.Api exporting to the Aspire dashboard, {sampled}", resources.Add(await Servers.StartApiAsync(OtlpExport.To(sampledAspire.OtlpGrpc, OtlpExport.LoadTestRatio))),
                sampledAspire, OtlpExport.LoadTestRatio),
            // Its own lifetime limit outlasts the whole run with a margin: eight rows a round, each done within a minute past its measure.
            new("Python grpcio (OrdersAspire.TestHarness/CrossLanguage/orders_server.py)", resources.Add(await PythonContract.StartServerAsync(
                TimeSpan.FromMinutes(10) + ((options.Rounds + 1) * 8 * (options.WarmUp + options.Measured + TimeSpan.FromMinutes(1)))))),
        ];
        var spansPerCall = await aspire.SpansPerCallAsync(contenders[AspireAlwaysOn].Server.Address);

        var runs = contenders.Select(_ => new List<MeasureRun>()).ToArray();
        var delivered = contenders.Select(_ => new List<(long Calls, Delivered Delivered)>()).ToArray();
        // Round 0 is not counted: in the first pass the .NET servers and receivers are still compiling their hot paths.
        for (var round = 0; round <= options.Rounds; round++)
        {
            for (var i = 0; i < contenders.Length; i++)
            {
                var receiver = contenders[i].Receiver;
                if (receiver is not null)
                {
                    await receiver.BeginRoundAsync();
                }

                var run = await H2Load.GetOrderForAsync(contenders[i].Server.Address, options.WarmUp, options.Measured, Clients, StreamsPerClient);
                var counted = round > 0;
                if (counted)
                {
                    runs[i].Add(new MeasureRun(run.RequestsPerSecond, run.P50Ms, run.P99Ms, run.Total - run.Succeeded,
                        string.Create(CultureInfo.InvariantCulture, $"{run.Total:N0} calls")));
                }

                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{(counted ? $"round {round}" : "warm-up round")}: getOrder, {contenders[i].Name}: {run.RequestsPerSecond:N0} calls/s, p50 {run.P50Ms:N2} ms, p99 {run.P99Ms:N2} ms, {run.Total - run.Succeeded} failed");
                if (receiver is not null)
                {
                    // Settled before the next row, so a receiver still ingesting does not slow that row down.
                    var arrived = await receiver.EndRoundAsync();
                    if (counted)
                    {
                        delivered[i].Add((run.CallsMade, arrived));
                    }

                    line += "; " + DeliveredText(run.CallsMade, arrived, contenders[i].Ratio, spansPerCall);
                }

                Console.WriteLine(line);
            }
        }

        var bare = Statistics.Median(runs[0].Select(r => r.Rate));
        var shipped = Statistics.Median(runs[Shipped].Select(r => r.Rate));
        Target? TargetOf(int i, double rate) => i switch
        {
            Shipped => new Target("≥ 0.8× bare", rate >= 0.8 * bare),
            ExportingToInsights => new Target("≥ 0.5× bare", rate >= 0.5 * bare),
            Python => new Target(string.Create(CultureInfo.InvariantCulture, $"Orders.Api as shipped ≥ 10× this (is {shipped / rate:N1}×)"), shipped >= 10 * rate),
            _ => null,
        };

        var rows = contenders.Select((contender, i) =>
        {
            var rate = Statistics.Median(runs[i].Select(r => r.Rate));
            var notes = contender.Receiver is null ? null : string.Create(CultureInfo.InvariantCulture, $"receiver's RSS after {contender.Receiver.ResidentMiB():N0} MiB; ") + DeliveredText(delivered[i].Sum(d => d.Calls),
                new Delivered(delivered[i].Sum(d => d.Delivered.Calls), delivered[i].Any(d => d.Delivered.Spans is null) ? null : delivered[i].Sum(d => d.Delivered.Spans),
                    delivered[i].Any(d => d.Delivered.AtApiLimit)),
                contender.Ratio, spansPerCall);
            return new ResultRow(contender.Name, runs[i], contender.Server.Server.ResidentMiB(), TargetOf(i, rate), notes);
        }).ToArray();
        return new ResultTable("getOrder", "calls/s", string.Create(CultureInfo.InvariantCulture,
            $"h2load (nghttp2) posts getOrder(\"101\") over h2c, {Clients} connections × {StreamsPerClient} streams; a getOrder makes {spansPerCall} {(spansPerCall == 1 ? "span" : "spans")} (counted once at the Aspire dashboard)."), rows);
    }

    /// <summary>Calls made, calls whose trace reached the receiver, and at the Aspire dashboard the spans it held of those expected.</summary>
    private static string DeliveredText(long calls, Delivered delivered, double ratio, long spansPerCall)
    {
        var expectedCalls = calls * ratio;
        // Past the Aspire dashboard API's trace limit its counts are a lower bound.
        var atLeast = delivered.AtApiLimit ? "at least " : "";
        var text = string.Create(CultureInfo.InvariantCulture, $"{calls:N0} calls made; traces received {atLeast}{delivered.Calls:N0} of {expectedCalls:N0} expected ({delivered.Calls / expectedCalls:P0})");
        if (delivered.Spans is { } spans)
        {
            var expectedSpans = expectedCalls * spansPerCall;
            text += string.Create(CultureInfo.InvariantCulture,
                $"; spans held {atLeast}{spans:N0} of {expectedSpans:N0} expected, {Math.Max(0, expectedSpans - spans):N0} dropped ({Math.Max(0, 1 - (spans / expectedSpans)):P0})");
        }

        return text;
    }
}
