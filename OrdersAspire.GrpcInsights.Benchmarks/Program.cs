using System.Globalization;
using System.Runtime.InteropServices;
using OrdersAspire.GrpcInsights.Benchmarks;
using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.TestHarness;

// Prints the gRPC insights' performance numbers as a Markdown table; `--out <file>` also writes them there.
// Loopback only, bounded work, stops by itself.
var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
// Other work on a shared machine skews every number; the 1-minute load average says how much.
var loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
var rows = new List<(string Measure, string Value)>();
void Report(string measure, string value)
{
    rows.Add((measure, value));
    Console.WriteLine($"{measure}: {value}");
}

string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

// `--memory-loads`: the four oversized loads, each against a fresh insights process; prints its memory, nothing else.
if (args.Contains("--memory-loads"))
{
    var dll = Path.Combine(AppContext.BaseDirectory, "OrdersAspire.GrpcInsights.dll");
    Console.WriteLine($"Load average at start {loadAverage}; insights: {dll}");
    var (heap, estimate, _) = MemoryBenchmark.Measure();
    Console.WriteLine($"Store at the default limits (10k traces × 2 spans), in process: managed heap {Number(heap, "N1")} MB, the store's estimate {Number(estimate, "N1")} MB");
    Console.WriteLine($"Parsing one 3.9 MB OTLP/JSON body allocates {Number(MemoryLoads.JsonParseAllocatedMegabytes(), "N1")} MB");
    Console.WriteLine("| Load | RSS at rest | RSS after | peak RSS | managed heap kept (in process) | /api/status after |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (var result in await MemoryLoads.RunAsync(dll))
    {
        Console.WriteLine($"| {result.Load} | {Number(result.IdleMegabytes, "N0")} MB | {Number(result.AfterMegabytes, "N0")} MB | {Number(result.PeakMegabytes, "N0")} MB | {Number(result.KeptHeapMegabytes, "N0")} MB | `{result.Status}` |");
    }

    return;
}

// `--concurrent-exports`: 32 and 120 OTLP/JSON exports of 3.6 MB at once, each run against a fresh insights process.
if (args.Contains("--concurrent-exports"))
{
    var dll = Path.Combine(AppContext.BaseDirectory, "OrdersAspire.GrpcInsights.dll");
    Console.WriteLine($"Load average at start {loadAverage}; insights: {dll}");
    Console.WriteLine("| Exports at once | body | RSS at rest | peak RSS (VmHWM) | answers | /api/status after |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (var concurrent in new[] { 32, 120 })
    {
        var result = await MemoryLoads.ConcurrentJsonAsync(dll, concurrent);
        var answers = string.Join(", ", result.Answers.OrderBy(a => a.Key).Select(a => $"{a.Value} × {a.Key}"));
        Console.WriteLine($"| {concurrent} | {Number(result.BodyMegabytes, "N1")} MB | {Number(result.IdleMegabytes, "N0")} MB | {Number(result.PeakMegabytes, "N0")} MB | {answers} | `{result.Status}` |");
    }

    return;
}

await using (var insights = await InsightsHost.StartAsync())
{
    var spansPerSecond = await IngestBenchmark.SpansPerSecondAsync(insights, exporters: 4, batchesPerExporter: 100);
    Report("OTLP/gRPC ingest, 4 exporters × 100 batches × 512 spans", $"{Number(spansPerSecond, "N0")} spans/s");
    Report("… parse + store only, in process (no network), 400 batches", $"{Number(IngestBenchmark.InProcessSpansPerSecond(insights, 400), "N0")} spans/s");
    var httpProtobuf = await IngestBenchmark.HttpSpansPerSecondAsync(insights, json: false, exporters: 4, batchesPerExporter: 50);
    Report("OTLP/HTTP protobuf ingest, 4 exporters × 50 batches × 512 spans", $"{Number(httpProtobuf, "N0")} spans/s");
    var httpJson = await IngestBenchmark.HttpSpansPerSecondAsync(insights, json: true, exporters: 4, batchesPerExporter: 50);
    Report("OTLP/HTTP JSON ingest (hex ids), 4 exporters × 50 batches × 512 spans", $"{Number(httpJson, "N0")} spans/s");
}

await using (var insights = await InsightsHost.StartAsync())
{
    RenderBenchmark.Fill(insights, 10_000);
    var store = insights.Store;
    Report("Traces list query at 10k traces (newest 100)", $"{Number(RenderBenchmark.QueryMicroseconds(store, new TraceQuery(Limit: 100)), "N1")} µs");
    Report("… filtered by status NOT_FOUND (index)", $"{Number(RenderBenchmark.QueryMicroseconds(store, new TraceQuery(Status: "NOT_FOUND", Limit: 100)), "N1")} µs");
    Report("… filtered by free text (full scan)", $"{Number(RenderBenchmark.QueryMicroseconds(store, new TraceQuery(Text: "processOrders", Limit: 100), 50), "N1")} µs");
    Report("gRPC calls page data at 10k traces (all calls + method × status percentiles)", $"{Number(RenderBenchmark.CallsPageMicroseconds(store), "N1")} µs");
    var (load, filter) = await RenderBenchmark.BrowserMillisecondsAsync(insights, runs: 7);
    Report("Traces page at 10k traces in Chromium: navigation → 100 rows (median of 7)", $"{Number(load, "N0")} ms");
    Report("Traces page at 10k traces: status filter → narrowed list (median of 7)", $"{Number(filter, "N0")} ms");
}

var (full, estimated, twiceOver) = MemoryBenchmark.Measure();
Report("Store memory at the default limit (10k traces × 2 spans)", $"{Number(full, "N1")} MB");
Report("… the store's own estimate of it (what Insights:TelemetryLimits:MaxStoreBytes bounds)", $"{Number(estimated, "N1")} MB");
Report("… after sending twice the limits (bounded: oldest evicted)", $"{Number(twiceOver, "N1")} MB");

if (output is not null)
{
    var lines = new List<string>
    {
        "# gRPC insights benchmark results",
        "",
        $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · {Environment.ProcessorCount} cores · Release build · load average at start {loadAverage}",
        "Command: `dotnet run -c Release --project OrdersAspire.GrpcInsights.Benchmarks -- --out benchmarks/results/insights.md`",
        "",
        "| Measure | Result |",
        "|---|---|",
    };
    lines.AddRange(rows.Select(r => $"| {r.Measure} | {r.Value} |"));
    await File.WriteAllLinesAsync(output, lines);
}
