using System.Text.Json;
using Ecommerce;
using Google.Protobuf;
using Orders.Tests.Infrastructure;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Reproduce;
using OrdersAspire.Shared;
using OrdersAspire.TestHarness;
using static Orders.Tests.GrpcInsights.RecordedCalls;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The reproduce lines read by a real bash: each quoted word comes back as exactly its text, and each line hands its
/// program the arguments and stdin that hold the recorded messages, however hostile their text.
/// </summary>
[Requires(Need.Process)]
public sealed class ShellLineTests
{
    // Prints every argument NUL-terminated, then a marker and stdin: what a program started by the line receives.
    private const string ShowArguments = "show() { printf '%s\\0' \"$@\"; printf 'STDIN\\0'; cat; }";

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public static TheoryData<string> HostileTexts =>
    [
        "", "plain", "it's", "'", "''", "\"double\"", "$(touch /tmp/pwned)", "`id`", "${HOME}", "a\nb", "tab\there",
        "back\\slash", "Grüße 東京 🚚", "\u001B[2J", "*", "~", "a b  c", "!history", "#comment", ";&|<>", "-n",
    ];

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task AQuotedWord_IsReadBackAsItsText(string text)
    {
        var run = await BashAsync($"{ShowArguments}; show {ShellQuoting.Quote(text)}");

        Assert.Equal([text], Arguments(run));
    }

    [Fact]
    public async Task TheUpdateLines_GiveOrdersClientAndGrpcurlTheRecordedOrders()
    {
        Order[] orders =
        [
            new() { Id = "it's \"$(rm -rf ~)\" `id`", Items = { "line\nbreak\\", "Grüße, 東京 🚚" }, Price = 9.99f, Destination = "'; DROP" },
            new() { Id = "2", Items = { "${PATH}" }, Description = "\u202Eevil" },
        ];
        var recorded = orders.Select(order => PrintableText.EscapeJson(JsonFormatter.Default.Format(order))).ToArray();
        var call = Call("updateOrders", "client_streaming", recorded,
            server: [("rpc.grpc.deadline_ms", "1500"), ("orders.request_id", "id 'quoted'")]);
        var lines = CallReproduction.For(call, new ReproduceOptions { ClientCommand = "show" })!;

        var client = await BashAsync($"{ShowArguments}; {lines.Client}");
        Assert.Equal(["--address", "http://127.0.0.1:5001", "--deadline", "1500ms", "--header", "x-request-id=id 'quoted'", "update", "-"], Arguments(client));
        Assert.Equal(orders, OrdersJsonFileParse(Stdin(client)));

        var grpcurl = await BashAsync($"{ShowArguments}; grpcurl() {{ show \"$@\"; }}; {lines.Grpcurl}");
        Assert.Equal(["-plaintext", "-max-time", "1.5", "-H", "x-request-id: id 'quoted'", "-d", "@", "127.0.0.1:5001", "ecommerce.OrderManagement/updateOrders"], Arguments(grpcurl));
        // grpcurl reads a stream of JSON values: the messages one after another.
        Assert.Equal(orders, JsonValues(Stdin(grpcurl)).Select(json => Parser.Parse<Order>(json)));
    }

    [Fact]
    public async Task TheGetLines_HandTheIdOverAsItWasSent()
    {
        const string id = "x' \"$(id)\" `id` ö\n";
        var call = Call("getOrder", "unary", [PrintableText.EscapeJson(JsonSerializer.Serialize(id))], server: [("rpc.grpc.deadline_ms", "250")]);
        var lines = CallReproduction.For(call, new ReproduceOptions { ClientCommand = "show" })!;

        var client = await BashAsync($"{ShowArguments}; {lines.Client}");
        Assert.Equal(["--address", "http://127.0.0.1:5001", "--deadline", "250ms", "get", id], Arguments(client));

        var grpcurl = await BashAsync($"{ShowArguments}; grpcurl() {{ show \"$@\"; }}; {lines.Grpcurl}");
        var arguments = Arguments(grpcurl);
        Assert.Equal(["-plaintext", "-max-time", "0.25", "-d"], arguments[..4]);
        Assert.Equal(id, JsonSerializer.Deserialize<string>(arguments[4]));
    }

    private static Task<CommandResult> BashAsync(string script) =>
        ExternalCommand.RunAsync("bash", ["-c", script], TimeSpan.FromSeconds(30));

    private static string[] Arguments(CommandResult run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        var parts = run.Stdout.Split('\0');
        return parts[..Array.IndexOf(parts, "STDIN")];
    }

    private static string Stdin(CommandResult run) => run.Stdout.Split("STDIN\0", 2)[1];

    private static IReadOnlyList<Order> OrdersJsonFileParse(string json) => Orders.Client.Commands.OrdersJsonFile.Parse(json, "stdin");

    private static List<string> JsonValues(string stream)
    {
        var values = new List<string>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(stream), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var value = JsonDocument.ParseValue(ref reader);
            values.Add(value.RootElement.GetRawText());
        }

        return values;
    }
}
