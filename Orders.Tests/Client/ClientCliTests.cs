using System.Text.Json;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Client;

/// <summary>
/// The built client's commands, run as a process against one real Orders.Api process (free loopback port, temp
/// database, fault injection on): output and exit codes.
/// </summary>
[Requires(Need.Process)]
public sealed class ClientCliTests(OrdersApiProcessFixture fixture) : IClassFixture<OrdersApiProcessFixture>
{
    private Task<CommandResult> Run(params string[] args) => RunWithInput(null, args);

    private Task<CommandResult> RunWithInput(string? stdin, params string[] args) =>
        ClientProcess.RunAsync([.. args, "--address", fixture.Api.Address.ToString()], stdin);

    private static JsonElement[] JsonLines(CommandResult run) => [.. run.StdoutLines.Select(line => JsonDocument.Parse(line).RootElement)];

    [Fact]
    public async Task SearchWithoutAQueryStreamsEveryOrder()
    {
        var run = await Run("search");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StdoutLines, line => line.StartsWith("Order 102:", StringComparison.Ordinal));
        Assert.Contains(run.StdoutLines, line => line.StartsWith("Order 104:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADnsAddressIsResolvedByTheSystemAndCalledOverH2c(bool withToken)
    {
        // localhost resolves to 127.0.0.1 (where the server listens) and maybe ::1 (nothing there): calls go to the one that answers.
        // A token over this plaintext channel is sent as with http:// (the server ignores it while authentication is off).
        string[] token = withToken ? ["--token", "any.bearer.token"] : [];
        var run = await ClientProcess.RunAsync(["get", "101", "--address", $"dns:///localhost:{fixture.Api.Address.Port}", .. token]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Order 101:", Assert.Single(run.StdoutLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnHttpsAddressAgainstTheH2cServerSaysToUseHttp()
    {
        var https = new UriBuilder(fixture.Api.Address) { Scheme = "https" }.Uri;

        var run = await ClientProcess.RunAsync(["get", "102", "--address", https.ToString()]);

        Assert.Equal(64 + 13, run.ExitCode);
        Assert.Contains("hint: the TLS handshake failed", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("needs an http:// address", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPrintsTheOrder()
    {
        var run = await Run("get", "102");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Order 102: items=[Item - C] price=1000", Assert.Single(run.StdoutLines), StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }

    [Fact]
    public async Task WithoutAddressTheServiceDiscoveryNameIsResolvedFromConfiguration()
    {
        // What an AppHost injects for a reference to orders-api; the client then dials http://orders-api.
        var environment = new Dictionary<string, string> { ["services__orders-api__http__0"] = fixture.Api.Address.ToString() };

        var run = await ClientProcess.RunAsync(["get", "102"], environment: environment);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Order 102:", Assert.Single(run.StdoutLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetUnknownOrderIsNotFoundWithResourceInfo()
    {
        var text = await Run("get", "no-such-order");
        Assert.True(text.ExitCode == 69, text.ToString());
        Assert.Empty(text.Stdout);
        Assert.Contains("ERROR: NOT_FOUND (5): Order no-such-order not found.", text.Stderr, StringComparison.Ordinal);
        Assert.Contains("resource: order no-such-order", text.Stderr, StringComparison.Ordinal);

        var json = await Run("get", "no-such-order", "--json");
        Assert.Equal(69, json.ExitCode);
        var error = Assert.Single(JsonLines(json)).GetProperty("error");
        Assert.Equal("NOT_FOUND", error.GetProperty("code").GetString());
        Assert.Equal("google.rpc.ResourceInfo", error.GetProperty("details")[0].GetProperty("@type").GetString()!.Split('/')[^1]);
    }

    [Fact]
    public async Task AddWithInvalidFieldsPrintsEveryViolation()
    {
        var text = await Run("add", "--price", "-5");
        Assert.True(text.ExitCode == 67, text.ToString());
        Assert.Contains("ERROR: INVALID_ARGUMENT (3)", text.Stderr, StringComparison.Ordinal);
        Assert.Contains("field violation: items:", text.Stderr, StringComparison.Ordinal);
        Assert.Contains("field violation: price:", text.Stderr, StringComparison.Ordinal);

        var json = await Run("add", "--price", "-5", "--json");
        Assert.Equal(67, json.ExitCode);
        var violations = Assert.Single(JsonLines(json)).GetProperty("error").GetProperty("details")[0].GetProperty("fieldViolations");
        Assert.Equal(["items", "price"], violations.EnumerateArray().Select(v => v.GetProperty("field").GetString()).Order());
    }

    [Fact]
    public async Task AddThenDeleteThenDeleteAgain()
    {
        var added = await Run("add", "--item", "CLI widget", "--item", "CLI gadget", "--price", "12.5", "--destination", "Lyon", "--json");
        Assert.True(added.ExitCode == 0, added.ToString());
        var id = Assert.Single(JsonLines(added)).GetProperty("id").GetString()!;

        var fetched = Assert.Single(JsonLines(await Run("get", id, "--json")));
        Assert.Equal(["CLI widget", "CLI gadget"], fetched.GetProperty("items").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(12.5, fetched.GetProperty("price").GetDouble());
        Assert.Equal("Lyon", fetched.GetProperty("destination").GetString());

        var deleted = await Run("delete", id);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal($"Deleted order {id}", Assert.Single(deleted.StdoutLines));

        var again = await Run("delete", id);
        Assert.Equal(69, again.ExitCode);
        Assert.Contains("NOT_FOUND", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWithOrderJsonSendsTheWholeOrder()
    {
        var added = await Run("add", "--order", """{"items":["it's \"J\"","Grüße"],"price":3.5,"description":"a\nb","destination":"X"}""", "--json");
        Assert.True(added.ExitCode == 0, added.ToString());
        var id = Assert.Single(JsonLines(added)).GetProperty("id").GetString()!;

        var fetched = Assert.Single(JsonLines(await Run("get", id, "--json")));
        Assert.Equal(["it's \"J\"", "Grüße"], fetched.GetProperty("items").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal((3.5, "a\nb", "X"), (fetched.GetProperty("price").GetDouble(), fetched.GetProperty("description").GetString(), fetched.GetProperty("destination").GetString()));
    }

    [Fact]
    public async Task SearchStreamsMatchingOrders()
    {
        var text = await Run("search", "Item - C");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains(text.StdoutLines, line => line.StartsWith("Order 102:", StringComparison.Ordinal));

        var json = await Run("search", "Item - ", "--json");
        Assert.Equal(0, json.ExitCode);
        var ids = JsonLines(json).Select(o => o.GetProperty("id").GetString()).ToList();
        Assert.Contains("102", ids);
        Assert.Contains("104", ids);
    }

    [Fact]
    public async Task UpdateFromAFileAndFromStdin()
    {
        var file = Path.Combine(Path.GetTempPath(), $"orders-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """[{"id":"cli-file-1","items":["Item - F1"],"price":5},{"id":"cli-file-2","items":["Item - F2"],"price":6}]""");
        try
        {
            var fromFile = await Run("update", file);
            Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
            Assert.Equal("Updated IDs: cli-file-1 cli-file-2", Assert.Single(fromFile.StdoutLines));
        }
        finally
        {
            File.Delete(file);
        }

        var fromStdin = await RunWithInput("""[{"id":"cli-stdin-1","items":["Item - S1"],"price":7,"description":"from stdin"}]""", "update", "-", "--json");
        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        Assert.Equal("Updated IDs: cli-stdin-1", Assert.Single(JsonLines(fromStdin)).GetProperty("reply").GetString());

        var stored = Assert.Single(JsonLines(await Run("get", "cli-stdin-1", "--json")));
        Assert.Equal("from stdin", stored.GetProperty("description").GetString());
    }

    [Fact]
    public async Task UpdateWithBadJsonIsAUsageError()
    {
        var run = await RunWithInput("""[{"id":"x",""", "update", "-");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("usage error: update: stdin is not valid JSON", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessCancelledAfterOneShipmentIsCancelled()
    {
        // How found orders group depends on their destinations (the scenario test changes them); the unknown id is always answered in-band.
        var all = await Run("process", "102", "103", "104", "no-such-order", "--json");
        Assert.True(all.ExitCode == 0, all.ToString());
        var shipments = JsonLines(all);
        Assert.True(shipments.Length >= 2, all.ToString());
        Assert.Contains(shipments, s => s.GetProperty("status").GetString() == "NOT_FOUND" && s.GetProperty("ordersList")[0].GetProperty("id").GetString() == "no-such-order");
        Assert.Equal(["102", "103", "104"], shipments.Where(s => s.GetProperty("status").GetString() == "PROCESSED")
            .SelectMany(s => s.GetProperty("ordersList").EnumerateArray().Select(o => o.GetProperty("id").GetString())).Order());

        var cancelled = await Run("process", "102", "103", "104", "no-such-order", "--cancel-after", "1");
        Assert.True(cancelled.ExitCode == 65, cancelled.ToString());
        Assert.StartsWith("Shipment ", Assert.Single(cancelled.StdoutLines), StringComparison.Ordinal);
        Assert.Contains("ERROR: CANCELLED (1)", cancelled.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessCancelledWhileTheServerIsMidCallIsCancelledOnTheServerToo()
    {
        // The client reports CANCELLED whatever the server does (after one shipment the server has usually finished
        // already); held in the injected delay, the server is still in the call when the cancellation reaches it.
        var requestId = Guid.NewGuid().ToString();

        var cancelled = await Run("process", "102", "--cancel-after", "5s", "--header", "x-orders-delay-ms=30000", "--header", $"x-request-id={requestId}");

        Assert.True(cancelled.ExitCode == 65, cancelled.ToString());
        Assert.Contains("ERROR: CANCELLED (1)", cancelled.Stderr, StringComparison.Ordinal);
        var call = await fixture.Api.CallLogAsync(requestId);
        Assert.Contains(" ended CANCELLED ", call.Ended, StringComparison.Ordinal);
        Assert.Contains(", handler cancelled: ", call.Ended, StringComparison.Ordinal);
        Assert.True(call.ElapsedMs < 30_000, $"The 30 s delay was waited out: {call.Ended}");
    }

    [Fact]
    public async Task DeadlineShorterThanInjectedDelayIsDeadlineExceeded()
    {
        var requestId = Guid.NewGuid().ToString();

        // Long enough for a cold client to get the call to the server (a 200 ms deadline often expired before the
        // request was sent, so the client alone produced DEADLINE_EXCEEDED), far shorter than the delay.
        var run = await Run("get", "102", "--deadline", "5s", "--header", "x-orders-delay-ms=30000", "--header", $"x-request-id={requestId}");

        Assert.True(run.ExitCode == 68, run.ToString());
        // grpc-dotnet's own status has no message; the client says which deadline passed.
        Assert.Contains("ERROR: DEADLINE_EXCEEDED (4): the call's deadline of 5s passed before an answer came (--deadline sets it).", run.Stderr, StringComparison.Ordinal);
        // The client's own timer ends its call whatever the server does. The server's lines show it received the
        // deadline and gave up the delayed handler. Its status is CANCELLED when the client's reset beats the server's
        // own timer by more than RpcExceptionMapper.DeadlineTolerance: a cold client stamps grpc-timeout before it
        // connects, so the server's deadline falls later than the client's by the connect time.
        var call = await fixture.Api.CallLogAsync(requestId);
        Assert.InRange(call.DeadlineMs ?? 0, 1, 5000);
        Assert.Matches(" ended (DEADLINE_EXCEEDED|CANCELLED) after [0-9.]+ ms, handler cancelled: .*; received 1, sent 0;", call.Ended);
        Assert.True(call.ElapsedMs < 30_000, $"The 30 s delay was waited out: {call.Ended}");
    }

    [Fact]
    public async Task AnEmptyIdIsAViolationOfTheId()
    {
        var run = await Run("get", "");

        Assert.True(run.ExitCode == 67, run.ToString());
        Assert.Contains("ERROR: INVALID_ARGUMENT (3): Invalid id.", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("  field violation: id: An order id is required.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScenarioPassesTwiceAgainstTheSameDatabase()
    {
        var first = await Run("scenario");
        Assert.True(first.ExitCode == 0, first.ToString());
        var stepLines = first.StdoutLines.Where(line => line.StartsWith('[')).ToList();
        Assert.Equal(10, stepLines.Count);
        Assert.All(stepLines, line => Assert.Contains("] PASS ", line, StringComparison.Ordinal));
        Assert.Contains("10/10 steps passed", first.Stdout, StringComparison.Ordinal);

        // Run 1 deleted 101 and added an order; run 2 must still get every expected outcome.
        var second = await Run("--json");
        Assert.True(second.ExitCode == 0, second.ToString());
        var lines = JsonLines(second);
        var steps = lines.Where(l => l.TryGetProperty("step", out _)).ToList();
        Assert.Equal(10, steps.Count);
        Assert.All(steps, s => Assert.True(s.GetProperty("passed").GetBoolean(), s.ToString()));
        Assert.Equal(
            ["OK", "OK", "OK", "OK", "OK", "CANCELLED", "OK", "NOT_FOUND", "DEADLINE_EXCEEDED", "INVALID_ARGUMENT"],
            steps.Select(s => s.GetProperty("actual").GetString()));
        Assert.True(lines[^1].GetProperty("summary").GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task LoopRepeatsUntilSigtermThenExitsZero()
    {
        static int Summaries(IReadOnlyList<string> lines) => lines.Count(line => line.Contains("\"summary\"", StringComparison.Ordinal));

        var run = await ClientProcess.RunUntilAsync(
            ["scenario", "--loop", "100ms", "--json", "--address", fixture.Api.Address.ToString()], lines => Summaries(lines) == 2);

        Assert.True(run.ExitCode == 0, run.ToString());
        var summaries = JsonLines(run).Where(l => l.TryGetProperty("summary", out _)).Select(l => l.GetProperty("summary")).ToList();
        Assert.InRange(summaries.Count, 2, 3);
        Assert.All(summaries, s => Assert.True(s.GetProperty("passed").GetBoolean(), run.ToString()));
    }
}
