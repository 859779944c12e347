using System.Net.Http.Json;
using System.Text.Json;

namespace Orders.Tests.Distributed;

/// <summary>One span as the Aspire dashboard's telemetry API returns it (OTLP/JSON), with its resource.</summary>
public sealed record DashboardSpan(
    string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind, int StatusCode, DateTime StartTime,
    string Service, string InstanceId, IReadOnlyDictionary<string, string> Attributes)
{
    public const int ServerKind = 2;
    public const int ClientKind = 3;
    public const int ErrorStatus = 2;

    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);
}

/// <summary>One structured log record as the Aspire dashboard's telemetry API returns it.</summary>
public sealed record DashboardLog(string? TraceId, string? SpanId, string Message, string Service, IReadOnlyDictionary<string, string> Attributes)
{
    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);
}

/// <summary>The Aspire dashboard's telemetry HTTP API (<c>/api/telemetry/…</c>), read with the key the AppHost handed it.</summary>
public sealed class DashboardTelemetry : IDisposable
{
    private readonly HttpClient http;

    public DashboardTelemetry(Uri dashboardUrl, string apiKey)
    {
        http = new HttpClient { BaseAddress = dashboardUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("x-api-key", apiKey);
    }

    public HttpClient Http => http;

    /// <summary>Every span of the newest <paramref name="limit"/> traces.</summary>
    public async Task<IReadOnlyList<DashboardSpan>> RecentSpansAsync(int limit = 500)
    {
        using var response = await http.GetAsync(new Uri($"/api/telemetry/traces?limit={limit}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return Parse(await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>The newest <paramref name="limit"/> log records of every resource (a replica's name has its own suffix).</summary>
    public async Task<IReadOnlyList<DashboardLog>> RecentLogsAsync(int limit = 1000)
    {
        using var response = await http.GetAsync(new Uri($"/api/telemetry/logs?limit={limit}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var logs = new List<DashboardLog>();
        foreach (var resourceLogs in Items((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data"), "resourceLogs"))
        {
            var service = resourceLogs.TryGetProperty("resource", out var r) ? Attributes(r).GetValueOrDefault("service.name", "") : "";
            foreach (var record in Items(resourceLogs, "scopeLogs").SelectMany(scope => Items(scope, "logRecords")))
            {
                logs.Add(new DashboardLog(
                    record.TryGetProperty("traceId", out var traceId) ? traceId.GetString() : null,
                    record.TryGetProperty("spanId", out var spanId) ? spanId.GetString() : null,
                    record.TryGetProperty("body", out var body) && body.TryGetProperty("stringValue", out var text) ? text.GetString() ?? "" : "",
                    service,
                    Attributes(record)));
            }
        }

        return logs;
    }


    public void Dispose() => http.Dispose();

    private static List<DashboardSpan> Parse(JsonElement response)
    {
        var spans = new List<DashboardSpan>();
        foreach (var resourceSpans in Items(response.GetProperty("data"), "resourceSpans"))
        {
            var resource = resourceSpans.TryGetProperty("resource", out var r) ? Attributes(r) : new Dictionary<string, string>();
            foreach (var span in Items(resourceSpans, "scopeSpans").SelectMany(scope => Items(scope, "spans")))
            {
                spans.Add(new DashboardSpan(
                    span.GetProperty("traceId").GetString()!,
                    span.GetProperty("spanId").GetString()!,
                    span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                    span.GetProperty("name").GetString()!,
                    span.TryGetProperty("kind", out var kind) ? kind.GetInt32() : 0,
                    span.TryGetProperty("status", out var status) && status.TryGetProperty("code", out var code) ? code.GetInt32() : 0,
                    DateTime.UnixEpoch.AddTicks(long.Parse(span.GetProperty("startTimeUnixNano").GetString()!, System.Globalization.CultureInfo.InvariantCulture) / 100),
                    resource.GetValueOrDefault("service.name", ""),
                    resource.GetValueOrDefault("service.instance.id", ""),
                    Attributes(span)));
            }
        }

        return spans;
    }

    private static JsonElement.ArrayEnumerator Items(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : default;

    private static Dictionary<string, string> Attributes(JsonElement element) =>
        Items(element, "attributes").ToDictionary(
            a => a.GetProperty("key").GetString()!,
            a => a.GetProperty("value").EnumerateObject().FirstOrDefault() is { Value: var v } ? v.ToString() : "");
}
