using System.Net;
using System.Text;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Otlp;

namespace OrdersAspire.GrpcInsights.Follow;

/// <summary>
/// Reads the spans the Aspire dashboard already holds, and every new one, from its telemetry HTTP API
/// (GET /api/telemetry/spans?follow=true, NDJSON: one OTLP/JSON export request of one span per line, key in x-api-key),
/// and stores them through the same OTLP/JSON path as an export. The services export once, to the Aspire dashboard;
/// following costs them nothing. A lost stream is reopened with a bounded backoff (the dashboard replays what it
/// holds on every connect, and the store ignores spans it already has).
/// </summary>
internal sealed partial class AspireSpanFollower(AspireDashboardOptions aspire, OtlpIngestor ingestor, ILogger<AspireSpanFollower> logger)
    : BackgroundService
{
    public const string ApiKeyHeader = "x-api-key";
    public static readonly TimeSpan MinReconnectDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(10);

    private readonly Uri spansUrl = new($"{aspire.Url!.AbsoluteUri.TrimEnd('/')}/api/telemetry/spans?follow=true");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The stream is open-ended: no overall timeout, only the connect attempt is bounded.
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = Timeout.InfiniteTimeSpan };
        var delay = MinReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await FollowAsync(http, stoppingToken))
                {
                    delay = MinReconnectDelay;
                    LogStreamEnded(aspire.Url!, "the dashboard closed it", delay);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                LogStreamEnded(aspire.Url!, e.Message, delay);
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
        }
    }

    /// <summary>Follows one stream until it ends; false when the dashboard refused it.</summary>
    private async Task<bool> FollowAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, spansUrl);
        request.Headers.Add(ApiKeyHeader, aspire.ApiKey);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogRefused(aspire.Url!, (int)response.StatusCode, response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "Insights:AspireDashboard:ApiKey is not the dashboard's Dashboard:Api:PrimaryApiKey",
                HttpStatusCode.NotFound => "the dashboard's telemetry API is off (Dashboard:Api:Enabled)",
                _ => response.ReasonPhrase ?? "",
            });
            return false;
        }

        LogFollowing(aspire.Url!);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                ingestor.Export(OtlpHttpEncoding.Json.Parse(ExportTraceServiceRequest.Parser, Encoding.UTF8.GetBytes(line)));
            }
            catch (FormatException e)
            {
                LogUnreadableLine(e.Message);
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following the spans of the Aspire dashboard at {DashboardUrl}")]
    private partial void LogFollowing(Uri dashboardUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The span stream of the Aspire dashboard at {DashboardUrl} ended ({Reason}); reconnecting in {Delay}")]
    private partial void LogStreamEnded(Uri dashboardUrl, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Aspire dashboard at {DashboardUrl} refused the span stream: HTTP {StatusCode}, {Reason}")]
    private partial void LogRefused(Uri dashboardUrl, int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a line of the Aspire dashboard's span stream that is not OTLP/JSON: {Reason}")]
    private partial void LogUnreadableLine(string reason);
}
