using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OrdersAspire.TestHarness;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// OTLP/HTTP with JSON bodies, written the way the OTLP specification and the JavaScript/browser SDKs write them:
/// hex trace and span ids, enums as numbers, 64-bit integers as strings, lowerCamelCase keys.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
public sealed class OtlpJsonIngestionTests
{
    private const string TraceId = "5B8EFFF798038103D269B633813FC60C";
    private const string ClientSpanId = "eee19b7ec3c1b174";
    private const string ServerSpanId = "eee19b7ec3c1b175";

    [Fact]
    public async Task JsonTracesAreStoredAndAnsweredInJsonWhileLogsAndMetricsAreAcceptedAndDropped()
    {
        await using var insights = await InsightsHost.StartAsync();

        using (var traces = await PostJsonAsync(insights, "/v1/traces", TracesJson))
        {
            Assert.Equal(HttpStatusCode.OK, traces.StatusCode);
            Assert.Equal("application/json", traces.Content.Headers.ContentType?.MediaType);
            using var reply = JsonDocument.Parse(await traces.Content.ReadAsStringAsync());
            Assert.Equal(JsonValueKind.Object, reply.RootElement.ValueKind);
            Assert.False(reply.RootElement.TryGetProperty("partialSuccess", out _));
        }

        using (var logs = await PostJsonAsync(insights, "/v1/logs", LogsJson, gzip: true))
        {
            Assert.Equal(HttpStatusCode.OK, logs.StatusCode);
        }

        using (var metrics = await PostJsonAsync(insights, "/v1/metrics", MetricsJson))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }

        var trace = await insights.Http.GetJsonAsync($"/api/traces/{TraceId.ToLowerInvariant()}");
        var spans = trace.Items("spans").ToList();
        Assert.Equal(["Client", "Server"], spans.Select(s => s.Str("kind")));
        Assert.Equal([ClientSpanId, ServerSpanId], spans.Select(s => s.Str("spanId")));
        Assert.Equal(ClientSpanId, spans[1].Str("parentSpanId"));
        Assert.Equal(["web-shop", "orders-api"], spans.Select(s => s.Str("service")));
        Assert.All(spans, s => Assert.Equal("DEADLINE_EXCEEDED", s.Str("grpcStatus")));
        Assert.Equal("250", spans[0].GetProperty("attributes").Str("rpc.grpc.deadline_ms"));
        Assert.Equal(120, spans[1].GetProperty("durationMs").GetDouble(), 3);
        Assert.Equal("Error", spans[1].Str("status"));

        // Logs and metrics are Aspire's dashboard's pages: nothing here serves them any more.
        Assert.Equal(1, insights.Store.Traces.Count);
        using var logsApi = await insights.Http.GetAsync(new Uri("/api/logs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, logsApi.StatusCode);
    }

    [Fact]
    public async Task UnknownFieldsAreIgnoredAndAMissingApiKeyIsAJsonUnauthenticated()
    {
        await using var insights = await InsightsHost.StartAsync("Insights:Otlp:PrimaryApiKey=json-key-1234");
        var withNewerFields = TracesJson.Replace("\"scopeSpans\"", "\"fieldFromTheFuture\": {\"x\": [1, 2]}, \"scopeSpans\"", StringComparison.Ordinal);

        using var refused = await PostJsonAsync(insights, "/v1/traces", withNewerFields);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(16, (await ReadJsonStatusAsync(refused)).GetProperty("code").GetInt32());

        using var accepted = await PostJsonAsync(insights, "/v1/traces", withNewerFields, apiKey: "json-key-1234");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(2, (await insights.Http.GetJsonAsync($"/api/traces/{TraceId}")).Items("spans").Count());
    }

    [Fact]
    public async Task SnakeCaseIdsNullsAndEscapedStringsComeThroughInAnyKeyOrder()
    {
        await using var insights = await InsightsHost.StartAsync();
        // Proto field names, as some SDKs write them; the event's "name" comes before the span's own.
        const string body = $$$"""
            {"resourceSpans":[{"schemaUrl":null,"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"caf\u00e9-shop"}}]},
              "scopeSpans":[{"scope":null,"spans":[{"events":[{"name":"retry","attributes":[]}],
                "trace_id":"{{{TraceId}}}","span_id":"{{{ServerSpanId}}}","parent_span_id":"{{{ClientSpanId}}}","name":"say \"hi\"","kind":2,"status":null}]}]}]}
            """;

        using var response = await PostJsonAsync(insights, "/v1/traces", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = Assert.Single((await insights.Http.GetJsonAsync($"/api/traces/{TraceId}")).Items("spans"));
        Assert.Equal((ServerSpanId, ClientSpanId, "café-shop", "say \"hi\"", "Server", "retry"),
            (span.Str("spanId"), span.Str("parentSpanId"), span.Str("service"), span.Str("name"), span.Str("kind"), Assert.Single(span.Items("events")).Str("name")));
    }

    private static async Task<JsonElement> ReadJsonStatusAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static async Task<HttpResponseMessage> PostJsonAsync(InsightsHost insights, string path, string json, bool gzip = false, string? apiKey = null)
    {
        using var http = new HttpClient { BaseAddress = insights.OtlpHttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        var body = Encoding.UTF8.GetBytes(json);
        if (gzip)
        {
            using var compressed = new MemoryStream();
            await using (var zip = new GZipStream(compressed, CompressionLevel.Fastest))
            {
                await zip.WriteAsync(body);
            }

            body = compressed.ToArray();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        if (apiKey is not null)
        {
            request.Headers.Add("x-otlp-api-key", apiKey);
        }

        return await http.SendAsync(request);
    }

    // A browser app's client span and the service's server span of one call, as two resources.
    private const string TracesJson = $$"""
        {
          "resourceSpans": [
            {
              "resource": { "attributes": [ { "key": "service.name", "value": { "stringValue": "web-shop" } } ] },
              "scopeSpans": [ { "scope": { "name": "@opentelemetry/instrumentation-grpc" }, "spans": [ {
                "traceId": "{{TraceId}}", "spanId": "{{ClientSpanId}}", "name": "ecommerce.OrderManagement/getOrder", "kind": 3,
                "startTimeUnixNano": "1700000000000000000", "endTimeUnixNano": "1700000000300000000",
                "attributes": [
                  { "key": "rpc.system", "value": { "stringValue": "grpc" } },
                  { "key": "rpc.service", "value": { "stringValue": "ecommerce.OrderManagement" } },
                  { "key": "rpc.method", "value": { "stringValue": "getOrder" } },
                  { "key": "rpc.grpc.status_code", "value": { "intValue": "4" } },
                  { "key": "rpc.grpc.deadline_ms", "value": { "intValue": 250 } }
                ],
                "status": { "code": 2, "message": "Deadline Exceeded" } } ] } ]
            },
            {
              "resource": { "attributes": [ { "key": "service.name", "value": { "stringValue": "orders-api" } } ] },
              "scopeSpans": [ { "scope": { "name": "Orders.Api" }, "spans": [ {
                "traceId": "{{TraceId}}", "spanId": "{{ServerSpanId}}", "parentSpanId": "{{ClientSpanId}}",
                "name": "ecommerce.OrderManagement/getOrder", "kind": "SPAN_KIND_SERVER",
                "startTimeUnixNano": 1700000000010000000, "endTimeUnixNano": "1700000000130000000",
                "attributes": [
                  { "key": "rpc.system", "value": { "stringValue": "grpc" } },
                  { "key": "rpc.grpc.status_code", "value": { "intValue": "4" } }
                ],
                "status": { "code": "STATUS_CODE_ERROR" } } ] } ]
            }
          ]
        }
        """;

    private const string LogsJson = $$"""
        { "resourceLogs": [ {
            "resource": { "attributes": [ { "key": "service.name", "value": { "stringValue": "orders-api" } } ] },
            "scopeLogs": [ { "logRecords": [ {
              "timeUnixNano": "1700000000130000000", "severityNumber": 13, "severityText": "Warning",
              "body": { "stringValue": "getOrder ended DEADLINE_EXCEEDED" },
              "traceId": "{{TraceId}}", "spanId": "{{ServerSpanId}}" } ] } ] } ] }
        """;

    private const string MetricsJson = """
        { "resourceMetrics": [ {
            "resource": { "attributes": [ { "key": "service.name", "value": { "stringValue": "web-shop" } } ] },
            "scopeMetrics": [ { "metrics": [ { "name": "cart.checkouts", "unit": "{checkout}",
              "sum": { "aggregationTemporality": 2, "isMonotonic": true,
                "dataPoints": [ { "asInt": "7", "startTimeUnixNano": "1700000000000000000", "timeUnixNano": "1700000000300000000" } ] } } ] } ] } ] }
        """;
}
