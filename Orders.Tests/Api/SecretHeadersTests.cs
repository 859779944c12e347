using System.Collections.Concurrent;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry;
using OpenTelemetry.Logs;
using Orders.Tests.Client;
using Orders.Tests.Infrastructure;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Api;

/// <summary>
/// Secret-looking request headers never reach a log line (console, structured, OTLP) or a span, on the server or the
/// client: metadata values are logged by an allow-list, every other header by name and length.
/// </summary>
[Requires(Need.Process)]
public sealed class SecretHeadersTests(OrdersApiProcessFixture process) : IClassFixture<OrdersApiProcessFixture>
{
    private static readonly string[] SecretKeys =
    [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token",
        "x-access-token", "x-otlp-api-key", "authorization-extra", "x-amz-security-token", "x-csrf-token", "x-xsrf-token",
        "x-session-id", "x-client-secret", "x-refresh-token", "x-id-token", "x-goog-api-key", "ocp-apim-subscription-key",
        "x-functions-key", "private-token", "x-vault-token", "x-hub-signature", "x-signature",
    ];

    private readonly string run = Guid.NewGuid().ToString("N");

    private IEnumerable<string> Secrets => SecretKeys.Select((_, i) => $"secret{i}-{run}");

    private Metadata Headers(string requestId)
    {
        var headers = new Metadata { { "x-request-id", requestId } };
        foreach (var (key, secret) in SecretKeys.Zip(Secrets))
        {
            headers.Add(key, secret);
        }

        return headers;
    }

    [Fact]
    public async Task InProcess_NoSecretReachesTheServersOrTheClientsLogsOtlpLogRecordsOrSpans()
    {
        var otlpLogs = new LogRecordTexts();
        await using var api = new OrdersApiFactory(configureServices: services =>
            services.AddOpenTelemetry().WithLogging(logging => logging.AddProcessor(otlpLogs)));
        using var client = InProcessOrdersClient.Create(api);
        var requestId = Guid.NewGuid().ToString();

        await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetRequiredService<OrderManagementClient>().getOrderAsync(new StringValue { Value = "no-such-order" }, Headers(requestId)));
        var serverSpan = await api.ServerSpanAsync(requestId);

        // Every text the call produced: log messages, structured fields and scopes on both sides, OTLP log records, span tags and events.
        var serverLogs = api.Services.GetFakeLogCollector().GetSnapshot();
        var clientLogs = client.GetFakeLogCollector().GetSnapshot();
        var spans = api.ExportedSpans.Where(s => s.TraceId == serverSpan.TraceId).ToList();
        string[] texts =
        [
            .. serverLogs.Concat(clientLogs).SelectMany(Texts),
            .. otlpLogs.Texts,
            .. spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")
                .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))))
        ];

        // Not vacuous: the call was logged and traced on both sides, and the header names are there.
        Assert.Contains(serverLogs, r => Equals(r.GetStructuredStateValue("OrdersRequestId"), requestId));
        Assert.Contains(clientLogs, r => Equals(r.GetStructuredStateValue("OrdersRequestId"), requestId));
        Assert.True(spans.Count >= 2, $"client and server spans of the call, got {spans.Count}");

        AssertNoSecret(texts);

        var serverMetadata = serverLogs.Select(r => r.GetStructuredStateValue("Metadata")).First(m => m is not null)!;
        Assert.All(SecretKeys, key => Assert.Contains($"{key}=[redacted ", serverMetadata, StringComparison.Ordinal));
        Assert.Contains($"x-request-id={requestId}", serverMetadata, StringComparison.Ordinal);
        Assert.Contains(otlpLogs.Texts, t => t.Contains("x-otlp-api-key=[redacted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RealProcesses_NoSecretReachesTheServersConsoleOrTheClisOutput()
    {
        var requestId = Guid.NewGuid().ToString();
        using (var channel = process.Api.CreateChannel())
        {
            await new OrderManagementClient(channel).getOrderAsync(new StringValue { Value = "102" }, Headers(requestId));
        }

        string[] headerArgs = [.. SecretKeys.Zip(Secrets).SelectMany(pair => new[] { "--header", $"{pair.First}={pair.Second}" })];
        var cli = await ClientProcess.RunAsync(["get", "no-such-order", "--address", process.Api.Address.ToString(), .. headerArgs]);
        Assert.Contains("NOT_FOUND", cli.Stderr, StringComparison.Ordinal);

        var console = await Eventually.HoldsAsync(() => Task.FromResult(process.Api.Output),
            output => output.Contains(requestId, StringComparison.Ordinal) && output.Contains("no-such-order", StringComparison.Ordinal),
            "both calls in the server's console log", timeoutSeconds: 30);
        AssertNoSecret([console, cli.Stdout, cli.Stderr]);
        Assert.Contains("x-api-key=[redacted", console, StringComparison.Ordinal);
    }

    private void AssertNoSecret(IEnumerable<string> texts)
    {
        var all = string.Join("\n", texts);
        var leaked = Secrets.Where(secret => all.Contains(secret, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"Leaked: {string.Join(", ", leaked.Select(s => SecretKeys[int.Parse(s[6..s.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)]))}");
    }

    private static IEnumerable<string> Texts(FakeLogRecord record) =>
        [
            record.Message,
            .. record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [],
            .. record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(scope => scope.Select(kv => $"{kv.Key}={kv.Value}")),
        ];

    /// <summary>Copies the text of every log record the OpenTelemetry SDK exports (records are pooled, so read them at once).</summary>
    private sealed class LogRecordTexts : BaseProcessor<LogRecord>
    {
        private readonly ConcurrentQueue<string> texts = new();

        public IEnumerable<string> Texts => texts;

        public override void OnEnd(LogRecord data)
        {
            texts.Enqueue($"{data.FormattedMessage} {data.Body}");
            foreach (var attribute in data.Attributes ?? [])
            {
                texts.Enqueue($"{attribute.Key}={attribute.Value}");
            }

            data.ForEachScope((scope, queue) =>
            {
                foreach (var item in scope)
                {
                    queue.Enqueue($"{item.Key}={item.Value}");
                }
            }, texts);
        }
    }
}
