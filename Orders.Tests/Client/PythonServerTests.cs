using System.Text.Json;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Client;

/// <summary>
/// Cross-language the other way round: the real Orders.Client CLI against a Python grpcio server of the same contract
/// (CrossLanguage/orders_server.py), so the client works with existing Python servers — rich error details included.
/// </summary>
[Requires(Need.Python)]
public sealed class PythonServerTests(PythonOrdersServer server) : IClassFixture<PythonOrdersServer>
{
    [Fact]
    public async Task TheWholeScenarioPasses()
    {
        var run = await Run("scenario");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("10/10 steps passed", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAddAndSearchRoundTripEveryField()
    {
        Assert.Equal(["Item - C"], Strings(Single(await Run("get", "102", "--json")), "items"));

        var added = await Run("add", "--item", "Py widget", "--price", "12.5", "--description", "to Python", "--destination", "Lyon", "--json");
        Assert.True(added.ExitCode == 0, added.ToString());
        var id = Single(added).GetProperty("id").GetString()!;
        var stored = Single(await Run("get", id, "--json"));
        Assert.Equal(12.5, stored.GetProperty("price").GetDouble());
        Assert.Equal("to Python", stored.GetProperty("description").GetString());
        Assert.Equal("Lyon", stored.GetProperty("destination").GetString());

        Assert.Equal([id], JsonLines(await Run("search", "Py widget", "--json")).Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task UpdateStreamsEveryOrderAndProcessGroupsThemByDestination()
    {
        const string orders = """
            [{"id":"py-1","items":["x"],"destination":"Mountain View, CA"},{"id":"py-2","items":["x"],"destination":"San Jose, CA"},
             {"id":"py-3","items":["x"],"destination":"Mountain View, CA"},{"id":"py-4","items":["x"],"destination":"San Jose, CA"}]
            """;
        var update = await ClientProcess.RunAsync(["update", "-", "--address", server.Address.ToString()], orders);
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Equal("Updated IDs: py-1 py-2 py-3 py-4", Assert.Single(update.StdoutLines));

        var shipments = JsonLines(await Run("process", "py-1", "py-2", "py-3", "py-unknown", "py-4", "--json"));

        Assert.Equal(
            ["PROCESSED py-1 py-3", "PROCESSED py-2", "NOT_FOUND py-unknown", "PROCESSED py-4"],
            shipments.Select(s => $"{s.GetProperty("status").GetString()} {string.Join(' ', s.GetProperty("ordersList").EnumerateArray().Select(o => o.GetProperty("id").GetString()))}"));
        var cancelled = await Run("process", "py-1", "py-2", "py-3", "--cancel-after", "1");
        Assert.True(cancelled.ExitCode == 65, cancelled.ToString());
    }

    [Fact]
    public async Task ErrorsCarryTheirStatusAndEveryRichDetail()
    {
        Assert.Equal(0, (await Run("delete", "104")).ExitCode);
        var missing = await Run("get", "104");
        Assert.True(missing.ExitCode == 69, missing.ToString());
        Assert.Contains("resource: order 104", missing.Stderr, StringComparison.Ordinal);

        var invalid = await Run("add", "--price", "-5", "--json");
        Assert.True(invalid.ExitCode == 67, invalid.ToString());
        var violations = Single(invalid).GetProperty("error").GetProperty("details")[0].GetProperty("fieldViolations");
        Assert.Equal(["items", "price"], violations.EnumerateArray().Select(v => v.GetProperty("field").GetString()).Order());

        var late = await Run("get", "102", "--deadline", "200ms", "--header", "x-orders-delay-ms=2000");
        Assert.True(late.ExitCode == 68, late.ToString());
    }

    private Task<CommandResult> Run(params string[] args) => ClientProcess.RunAsync([.. args, "--address", server.Address.ToString()]);

    private static JsonElement[] JsonLines(CommandResult run) => [.. run.StdoutLines.Select(line => JsonDocument.Parse(line).RootElement)];

    private static JsonElement Single(CommandResult run) => Assert.Single(JsonLines(run));

    private static List<string?> Strings(JsonElement element, string property) => [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString())];
}
