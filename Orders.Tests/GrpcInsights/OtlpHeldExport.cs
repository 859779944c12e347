using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// An OTLP export whose headers and first bytes are sent while the rest of its body is held back: the insights
/// have admitted it and are reading it until it is completed or abandoned — an export in flight, deterministically.
/// </summary>
public sealed class OtlpHeldExport : IAsyncDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly CancellationTokenSource abandon = new();
    private readonly HeldContent content;
    private readonly Task<HttpResponseMessage> response;
    private const string Path = "/v1/traces";

    private OtlpHeldExport(Uri otlpHttp, IEnumerable<KeyValuePair<string, string>> headers)
    {
        (Request, TraceId) = OtlpWire.ValidTraceRequest();
        content = new HeldContent(Request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(OtlpWire.Protobuf);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(otlpHttp, Path)) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        response = http.SendAsync(request, HttpCompletionOption.ResponseContentRead, abandon.Token);
    }

    /// <summary>The one-span trace export being held, and its trace id.</summary>
    public ExportTraceServiceRequest Request { get; }
    public string TraceId { get; }

    /// <summary>Holds <paramref name="count"/> OTLP/HTTP protobuf trace exports until the insights report that many in flight.</summary>
    public static async Task<OtlpHeldExport[]> HoldAsync(int count, Uri otlpHttp, Uri frontend, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var held = Enumerable.Range(0, count).Select(_ => new OtlpHeldExport(otlpHttp, headers)).ToArray();
        await WaitInFlightAsync(frontend, count);
        return held;
    }

    /// <summary>Waits until /api/status reports <paramref name="count"/> exports in flight.</summary>
    public static async Task WaitInFlightAsync(Uri frontend, int count)
    {
        using var status = new HttpClient { BaseAddress = frontend, Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.HoldsAsync(() => status.GetJsonAsync("/api/status"), s => s.TryGetProperty("exportsInFlight", out var inFlight) && inFlight.GetInt32() == count,
            $"{count} exports in flight", timeoutSeconds: 30);
    }

    /// <summary>Sends the rest of the body and reads the answer.</summary>
    public async Task<OtlpOutcome> CompleteAsync()
    {
        content.Release();
        using var answer = await response;
        return await OtlpWire.ReadOutcomeAsync(answer, Path);
    }

    public async ValueTask DisposeAsync()
    {
        await abandon.CancelAsync();
        content.Release();
        try
        {
            (await response).Dispose();
        }
        catch (OperationCanceledException)
        {
            // Abandoned before the answer: the insights see the body cut short.
        }

        abandon.Dispose();
        http.Dispose();
    }

    /// <summary>Writes the first half of the body at once and the rest when released.</summary>
    private sealed class HeldContent(byte[] body) : HttpContent
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await released.Task.WaitAsync(cancellationToken);
            await stream.WriteAsync(body.AsMemory(body.Length / 2), cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
