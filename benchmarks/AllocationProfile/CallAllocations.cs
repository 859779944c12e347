using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace AllocationProfile;

/// <summary>
/// Exact bytes allocated per getOrder("101") call: each server configuration hosted in this process in turn, called
/// one call at a time over one h2c connection, <see cref="GC.GetTotalAllocatedBytes"/> read around each round of calls.
/// The client is the same for every server (raw gRPC frames over HttpClient, as h2load sends them, with no client span:
/// see the project file), so its share cancels in each server's difference to bare. Background work of the process
/// (Kestrel's heartbeat) is counted too; it is a few bytes per call at these rates, which the rounds show.
/// </summary>
internal static class CallAllocations
{
    public const string Command = "calls";
    private const int DefaultCalls = 20_000;
    private const int Rounds = 3;

    // getOrder("101"): an uncompressed 5-byte message, field 1 (StringValue.value) = "101".
    private static readonly byte[] GetOrder101 = [0, 0, 0, 0, 5, 0x0a, 3, (byte)'1', (byte)'0', (byte)'1'];
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 1 || !TryParseCalls(args, out var calls))
        {
            Console.Error.WriteLine($"usage: AllocationProfile {Command} [calls per round, a whole number ≥ 1; default {DefaultCalls}]");
            return 2;
        }

        // Printed once every server has stopped: their start and stop lines would split the table.
        var rows = new List<string>();
        double? bare = null;
        foreach (var start in new Func<Task<InProcessServer>>[]
                 {
                     InProcessServer.StartBareAsync, () => InProcessServer.StartOrdersApiAsync(telemetry: false),
                     () => InProcessServer.StartOrdersApiAsync(telemetry: true),
                 })
        {
            await using var server = await start();
            var rounds = await MeasureAsync(server.Address, calls);
            var median = rounds.Order().ElementAt(Rounds / 2);
            bare ??= median;
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"{server.Name,-13} {median,19:N0}  {string.Join(" · ", rounds.Select(round => round.ToString("N0", CultureInfo.InvariantCulture))),-25}  {median - bare,10:+#,0;-#,0;0}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Bytes allocated per getOrder(\"101\") call, in this process, {Rounds} rounds of {calls:N0} calls after {calls:N0} uncounted"));
        Console.WriteLine("server        bytes/call (median)  rounds                     minus bare");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static bool TryParseCalls(string[] args, out int calls)
    {
        calls = DefaultCalls;
        return args.Length == 0 || (int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out calls) && calls >= 1);
    }

    private static async Task<double[]> MeasureAsync(Uri server, int calls)
    {
        using var client = new HttpMessageInvoker(new SocketsHttpHandler());
        var address = new Uri(server, "/ecommerce.OrderManagement/getOrder");
        // Uncounted: JIT tiering (which can change what a method allocates) and the server's pools settle first.
        await CallAsync(client, address, calls);
        var rounds = new double[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await CallAsync(client, address, calls);
            rounds[round] = (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / calls;
        }

        return rounds;
    }

    private static async Task CallAsync(HttpMessageInvoker client, Uri address, int calls)
    {
        for (var call = 0; call < calls; call++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, address)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(GetOrder101) { Headers = { ContentType = GrpcContentType } },
                Headers = { TE = { new TransferCodingWithQualityHeaderValue("trailers") } },
            };
            using var response = await client.SendAsync(request, CancellationToken.None);
            var message = await response.Content.ReadAsByteArrayAsync();
            // A refused or failed call allocates less than a served one: only an order counts.
            if (!response.TrailingHeaders.NonValidated.TryGetValues("grpc-status", out var status) || status.ToString() != "0" || message.Length <= 5)
            {
                throw new InvalidOperationException($"getOrder(\"101\") to {address} did not return the order: HTTP {(int)response.StatusCode}, grpc-status {status}.");
            }
        }
    }
}
