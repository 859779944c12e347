using System.Globalization;
using OrdersAspire.TestHarness;

namespace Orders.Api.Benchmarks;

/// <summary>
/// getOrder("101") through h2load on the bare grpc-dotnet baseline, the template peer (bare plus the Aspire starter
/// template's service defaults) without and with export, Orders.Api in each telemetry configuration and the Python grpcio
/// contract server, in interleaved rounds (each server once per round, all kept up). The exporting rows also count what
/// reached their receiver: the insights (standalone OTLP receiver) or the real Aspire dashboard, one receiver per row,
/// every trace or the load-test sample (<see cref="OtlpExport.LoadTestRatio"/>).
/// </summary>
internal static class GetOrderSideBySide
{
    public const int Clients = 4;
    public const int StreamsPerClient = 8;

    private const string PeerToInsights = "template peer exporting to the insights, always_on";
    private const string PeerToAspire = "template peer exporting to the Aspire dashboard, always_on";
    private const string Shipped = "Orders.Api as shipped: all telemetry on, no export";
    private const string ToInsights = "Orders.Api exporting to the insights, always_on";
    private const string ToAspire = "Orders.Api exporting to the Aspire dashboard, always_on";
    private const string Python = "Python grpcio (OrdersAspire.TestHarness/CrossLanguage/orders_server.py)";

    /// <summary>
    /// A configuration; <paramref name="Peer"/> the template peer row its second ratio is taken to (the peer exporting every
    /// trace to the same kind of receiver, or the peer without export); <paramref name="Receiver"/> and <paramref name="Ratio"/>
    /// for the rows that export.
    /// </summary>
    private sealed record Contender(string Name, (ServerProcess Server, Uri Address) Server, string Peer, ITelemetryReceiver? Receiver = null, double Ratio = 1,
        bool IsTemplatePeer = false);

    public static async Task<ResultTable> RunAsync(HarnessOptions options)
    {
        if (!H2Load.IsInstalled)
        {
            throw new InvalidOperationException("h2load not found: apt-get install nghttp2-client (benchmarks/run.sh does).");
        }

        await using var resources = new RunResources();
        var peerInsights = resources.Add(await InsightsReceiver.StartAsync());
        var peerAspire = resources.Add(await AspireDashboardReceiver.StartAsync());
        var insights = resources.Add(await InsightsReceiver.StartAsync());
        var sampledInsights = resources.Add(await InsightsReceiver.StartAsync());
        var aspire = resources.Add(await AspireDashboardReceiver.StartAsync());
        var sampledAspire = resources.Add(await AspireDashboardReceiver.StartAsync());
        var sampled = OtlpExport.Describe(OtlpExport.LoadTestRatio);
        const string Peer = Servers.TemplatePeerName;
        Contender[] contenders =
        [
            new(Servers.BareName, resources.Add(await Servers.StartBareAsync()), Peer),
            new(Peer, resources.Add(await Servers.StartTemplatePeerAsync(new Dictionary<string, string>())), Peer, IsTemplatePeer: true),
            new(PeerToInsights, resources.Add(await Servers.StartTemplatePeerAsync(OtlpExport.To(peerInsights.OtlpGrpc, 1, Servers.TemplatePeerService))),
                PeerToInsights, peerInsights, IsTemplatePeer: true),
            new(PeerToAspire, resources.Add(await Servers.StartTemplatePeerAsync(OtlpExport.To(peerAspire.OtlpGrpc, 1, Servers.TemplatePeerService))),
                PeerToAspire, peerAspire, IsTemplatePeer: true),
            new("Orders.Api, telemetry off (OTEL_SDK_DISABLED, Warning logs)", resources.Add(await Servers.StartApiAsync(new Dictionary<string, string>
            {
                ["OTEL_SDK_DISABLED"] = "true",
                ["Logging__LogLevel__Default"] = "Warning",
            })), Peer),
            new(Shipped, resources.Add(await Servers.StartApiAsync(new Dictionary<string, string>())), Peer),
            new(ToInsights, resources.Add(await Servers.StartApiAsync(OtlpExport.To(insights.OtlpGrpc, 1))), PeerToInsights, insights),
            new($"Orders.Api exporting to the insights, {sampled}", resources.Add(await Servers.StartApiAsync(OtlpExport.To(sampledInsights.OtlpGrpc, OtlpExport.LoadTestRatio))),
                Peer, sampledInsights, OtlpExport.LoadTestRatio),
            new(ToAspire, resources.Add(await Servers.StartApiAsync(OtlpExport.To(aspire.OtlpGrpc, 1))), PeerToAspire, aspire),
            new($"Orders.Api exporting to the Aspire dashboard, {sampled}", resources.Add(await Servers.StartApiAsync(OtlpExport.To(sampledAspire.OtlpGrpc, OtlpExport.LoadTestRatio))),
                Peer, sampledAspire, OtlpExport.LoadTestRatio),
            // Its own lifetime limit outlasts the whole run with a margin: a dozen rows a round, each done within a minute past its measure.
            new(Python, resources.Add(await PythonContract.StartServerAsync(
                TimeSpan.FromMinutes(10) + ((options.Rounds + 1) * 12 * (options.WarmUp + options.Measured + TimeSpan.FromMinutes(1))))), Peer),
        ];
        var apiSpansPerCall = await aspire.SpansPerCallAsync(contenders.Single(c => c.Name == ToAspire).Server.Address);
        var peerSpansPerCall = await peerAspire.SpansPerCallAsync(contenders.Single(c => c.Name == PeerToAspire).Server.Address);
        long SpansPerCall(Contender contender) => contender.IsTemplatePeer ? peerSpansPerCall : apiSpansPerCall;

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

                    line += "; " + DeliveredText(run.CallsMade, arrived, contenders[i].Ratio, SpansPerCall(contenders[i]));
                }

                if (contenders[i].Name == Python)
                {
                    // grpcio's threads stay busy for seconds after its run: the next row would share the cores with them.
                    var settled = await CpuSettling.WaitAsync(contenders[i].Server.Server.Id);
                    line += string.Create(CultureInfo.InvariantCulture, $"; its CPU use settled in {settled.TotalSeconds:N1} s");
                }

                Console.WriteLine(line);
            }
        }

        double RateOf(string name) => Statistics.Median(runs[Array.FindIndex(contenders, c => c.Name == name)].Select(r => r.Rate));
        var bare = RateOf(Servers.BareName);
        var shipped = RateOf(Shipped);
        Target? TargetOf(Contender contender, double rate) => contender.Name switch
        {
            Shipped => new Target("≥ 0.8× bare and ≥ 0.8× the peer", rate >= 0.8 * bare && rate >= 0.8 * RateOf(Peer)),
            ToInsights => new Target("≥ 0.5× bare and ≥ 0.9× the peer exporting to the insights", rate >= 0.5 * bare && rate >= 0.9 * RateOf(PeerToInsights)),
            Python => new Target(string.Create(CultureInfo.InvariantCulture, $"Orders.Api as shipped ≥ 10× this (is {shipped / rate:N1}×)"), shipped >= 10 * rate),
            _ => null,
        };

        var rows = contenders.Select((contender, i) =>
        {
            var rate = Statistics.Median(runs[i].Select(r => r.Rate));
            var notes = contender.Receiver is null ? null : string.Create(CultureInfo.InvariantCulture, $"receiver's RSS after {contender.Receiver.ResidentMiB():N0} MiB; ") + DeliveredText(delivered[i].Sum(d => d.Calls),
                new Delivered(delivered[i].Sum(d => d.Delivered.Calls), delivered[i].Any(d => d.Delivered.Spans is null) ? null : delivered[i].Sum(d => d.Delivered.Spans),
                    delivered[i].Any(d => d.Delivered.AtApiLimit)),
                contender.Ratio, SpansPerCall(contender));
            return new ResultRow(contender.Name, runs[i], contender.Server.Server.ResidentMiB(), contender.Peer, TargetOf(contender, rate), notes);
        }).ToArray();
        return new ResultTable("getOrder", "calls/s", string.Create(CultureInfo.InvariantCulture,
            $"h2load (nghttp2) posts getOrder(\"101\") over h2c, {Clients} connections × {StreamsPerClient} streams; a getOrder makes {apiSpansPerCall} {(apiSpansPerCall == 1 ? "span" : "spans")} on Orders.Api and {peerSpansPerCall} on the template peer (counted once at the Aspire dashboard). Each exporting row has a receiver of its own; the ratio to the peer is to the template peer exporting every trace to the same kind of receiver for the rows that export every trace, else to the peer without export."), rows);
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
