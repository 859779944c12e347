using System.Net.Http.Json;
using System.Text.Json;
using OrdersAspire.TestHarness;

namespace Orders.Api.Benchmarks;

/// <summary>What reached a receiver in one round: calls with a trace there, and for the Aspire dashboard the spans it held.</summary>
/// <param name="AtApiLimit">The Aspire dashboard's API counted no more than <see cref="AspireDashboardReceiver.ApiTraceLimit"/> traces: the counts are a lower bound.</param>
internal sealed record Delivered(long Calls, long? Spans, bool AtApiLimit = false);

/// <summary>An OTLP/gRPC receiver that one exporting Orders.Api sends to, and that says afterwards how much arrived.</summary>
internal interface ITelemetryReceiver : IAsyncDisposable
{
    Uri OtlpGrpc { get; }

    Task BeginRoundAsync();

    /// <summary>Waits until what the exporter sent has landed (its count stops growing), then counts this round's arrivals.</summary>
    Task<Delivered> EndRoundAsync();

    /// <summary>The receiver process's resident set, in MiB.</summary>
    double ResidentMiB();
}

internal static class Settling
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static async Task<long> CountAsync(HttpClient http, Uri url, Func<JsonElement, long> read)
    {
        using var response = await http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return read(await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Batched export lands after the calls, and a slow receiver ingests for a while: read until it stops growing.</summary>
    public static async Task<long> SettledAsync(Func<Task<long>> count)
    {
        var last = await count();
        for (var deadline = DateTime.UtcNow + Bound; DateTime.UtcNow < deadline;)
        {
            await Task.Delay(Poll);
            var now = await count();
            if (now == last)
            {
                break;
            }

            last = now;
        }

        return last;
    }
}

/// <summary>
/// The gRPC insights as their own OTLP receiver (standalone), up for the whole run. Each getOrder is a trace of its own (h2load
/// sends no trace context), so the traces seen — kept or evicted by the store's limits — are the calls delivered.
/// </summary>
internal sealed class InsightsReceiver(ServerProcess server, Uri ui, Uri otlpGrpc) : ITelemetryReceiver
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private long before;

    public Uri OtlpGrpc => otlpGrpc;

    public static async Task<InsightsReceiver> StartAsync()
    {
        var (server, ui, otlp) = await Servers.StartInsightsAsync(new Dictionary<string, string>());
        return new InsightsReceiver(server, ui, otlp);
    }

    public async Task BeginRoundAsync() => before = await CallsSeenAsync();

    public async Task<Delivered> EndRoundAsync() => new(await Settling.SettledAsync(CallsSeenAsync) - before, null);

    public double ResidentMiB() => server.ResidentMiB();

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    private Task<long> CallsSeenAsync() => Settling.CountAsync(http, new Uri(ui, "/api/status"),
        json => json.GetProperty("traces").GetInt64() + json.GetProperty("evictedTraces").GetInt64());
}

/// <summary>
/// The real Aspire dashboard, as the AppHost runs it. Its telemetry API counts at most 10,000 traces, more than one round
/// delivers but fewer than a run's: so each round gets fresh insights on the same ports, started before the row.
/// </summary>
internal sealed class AspireDashboardReceiver : ITelemetryReceiver
{
    /// <summary>The most traces the Aspire dashboard's telemetry API reads per resource.</summary>
    public const int ApiTraceLimit = 10_000;

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly string apiKey = "bench-" + Guid.NewGuid().ToString("N");
    private readonly Uri ui = new($"http://127.0.0.1:{FreePort.Next()}");
    private ServerProcess? server;
    private bool fresh;

    private AspireDashboardReceiver()
    {
        http.DefaultRequestHeaders.Add(AspireDashboard.ApiKeyHeader, apiKey);
    }

    public Uri OtlpGrpc { get; } = new($"http://127.0.0.1:{FreePort.Next()}");

    public static async Task<AspireDashboardReceiver> StartAsync()
    {
        var receiver = new AspireDashboardReceiver();
        await receiver.RestartAsync();
        return receiver;
    }

    /// <summary>Spans one getOrder makes, counted by fresh insights from one call of an always_on exporter at <paramref name="api"/>.</summary>
    public async Task<long> SpansPerCallAsync(Uri api)
    {
        await H2Load.GetOrderOnceAsync(api);
        var spans = await Settling.SettledAsync(SpansAsync);
        await RestartAsync();
        return spans > 0 ? spans : throw new InvalidOperationException("The Aspire dashboard received no span of a getOrder call.");
    }

    public async Task BeginRoundAsync()
    {
        if (!fresh)
        {
            await RestartAsync();
        }

        fresh = false;
    }

    public async Task<Delivered> EndRoundAsync()
    {
        var spans = await Settling.SettledAsync(SpansAsync);
        var traces = await TracesAsync();
        return new Delivered(traces, spans, traces >= ApiTraceLimit);
    }

    public double ResidentMiB() => server?.ResidentMiB() ?? double.NaN;

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private async Task RestartAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        server = await AspireDashboard.StartAsync(apiKey, ui, OtlpGrpc, new Dictionary<string, string?>
        {
            // Above the spans a round produces, so the span count after a round is what arrived, not what eviction left.
            ["Dashboard__TelemetryLimits__MaxTraceCount"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        fresh = true;
    }

    private Task<long> SpansAsync() => Settling.CountAsync(http, new Uri(ui, "/api/telemetry/spans?limit=1"), json => json.GetProperty("totalCount").GetInt64());

    private Task<long> TracesAsync() => Settling.CountAsync(http, new Uri(ui, "/api/telemetry/traces?limit=1"), json => json.GetProperty("totalCount").GetInt64());
}
