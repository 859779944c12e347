using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OrdersAspire.TestHarness;

namespace Orders.Api.Benchmarks;

/// <param name="CallsMade">Every getOrder the run sent, the warm-up's and the check calls too: the calls whose telemetry an exporter sends.</param>
internal sealed record H2LoadRun(double RequestsPerSecond, long Succeeded, long Total, double P50Ms, double P99Ms, long CallsMade);

/// <summary>
/// h2load (Debian nghttp2-client) posting one gRPC message over h2c: the server measured by a load generator that is
/// not .NET. h2load counts HTTP statuses only, so the same request is checked once for grpc-status 0 in its trailers.
/// </summary>
internal static partial class H2Load
{
    private const string Executable = "/usr/bin/h2load";

    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>
    /// getOrder("101") for a fixed time after a warm-up run of its own (h2load's --warm-up-time does not say how many calls
    /// it made); latency percentiles from h2load's per-request log.
    /// </summary>
    public static async Task<H2LoadRun> GetOrderForAsync(Uri address, TimeSpan warmUp, TimeSpan measured, int clients, int streamsPerClient)
    {
        var logFile = Path.GetTempFileName();
        try
        {
            string[] connections = ["-c", $"{clients}", "-m", $"{streamsPerClient}"];
            var warm = await RunGetOrderAsync(address, ["-D", Seconds(warmUp), .. connections], logFile: null);
            var run = await RunGetOrderAsync(address, ["-D", Seconds(measured), .. connections], logFile);
            // Columns: start (µs since epoch), HTTP status, µs until the end of the response.
            var latencies = File.ReadLines(logFile).Select(line => double.Parse(line.Split('\t')[2], CultureInfo.InvariantCulture) / 1000).Order().ToArray();
            return run with
            {
                P50Ms = Statistics.Percentile(latencies, 0.50),
                P99Ms = Statistics.Percentile(latencies, 0.99),
                CallsMade = warm.CallsMade + run.CallsMade,
            };
        }
        finally
        {
            File.Delete(logFile);
        }
    }

    /// <summary>One getOrder("101") over HTTP/2 that must end with grpc-status 0.</summary>
    public static Task GetOrderOnceAsync(Uri address) => GetOrderOnceAsync(address, GetOrder101());

    private static string Seconds(TimeSpan duration) => $"{Math.Max(1, (int)duration.TotalSeconds)}s";

    private static byte[] GetOrder101() => GrpcFrame(new StringValue { Value = "101" });

    private static async Task<H2LoadRun> RunGetOrderAsync(Uri address, string[] loadOptions, string? logFile)
    {
        var body = GetOrder101();
        var bodyFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(bodyFile, body);
        try
        {
            await GetOrderOnceAsync(address, body);
            string[] logging = logFile is null ? [] : [$"--log-file={logFile}"];
            var run = await ExternalCommand.RunAsync(Executable, [.. loadOptions, .. logging, "-d", bodyFile,
                "-H", "content-type: application/grpc", "-H", "te: trailers", new Uri(address, "/ecommerce.OrderManagement/getOrder").ToString()], TimeSpan.FromMinutes(2));
            var output = run.Stdout;
            var rate = Finished().Match(output);
            var done = Requests().Match(output);
            if (!rate.Success || !done.Success)
            {
                throw new InvalidOperationException($"Unexpected h2load output: {run}");
            }

            var total = long.Parse(done.Groups[1].Value, CultureInfo.InvariantCulture);
            // The check call is one more.
            return new H2LoadRun(double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(done.Groups[2].Value, CultureInfo.InvariantCulture),
                total, double.NaN, double.NaN, total + 1);
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }

    /// <summary>gRPC length-prefixed message: 0 (not compressed), big-endian length, the protobuf bytes.</summary>
    private static byte[] GrpcFrame(IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static async Task GetOrderOnceAsync(Uri address, byte[] body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/ecommerce.OrderManagement/getOrder"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.Single() : "missing";
        if (status != "0")
        {
            throw new InvalidOperationException($"The request h2load sends does not succeed: grpc-status {status}.");
        }
    }

    [GeneratedRegex(@"finished in [\d.]+m?s, ([\d.]+) req/s")]
    private static partial Regex Finished();

    [GeneratedRegex(@"requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded")]
    private static partial Regex Requests();
}
