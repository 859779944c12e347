using System.Text.Json;
using Orders.Client.Commands;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Client;

/// <summary>Command-line parsing in process: usage errors are caught before any connection is made.</summary>
public class ClientCommandLineTests
{
    private static Task<CommandResult> InvokeAsync(params string[] args) => InProcessOrdersClient.RunCommandLineAsync(args);

    [Theory]
    [InlineData("get")]
    [InlineData("get", "1", "2")]
    [InlineData("get", "1", "--deadline", "soon")]
    [InlineData("get", "1", "--deadline", "0s")]
    [InlineData("get", "1", "--header", "no-equals-sign")]
    [InlineData("get", "1", "--address", "localhost:50051")]
    [InlineData("process")]
    [InlineData("process", "1", "--cancel-after", "never")]
    [InlineData("add", "--item", "x")]
    [InlineData("add", "--price", "cheap")]
    [InlineData("scenario", "--loop", "often")]
    [InlineData("frobnicate")]
    public async Task UsageErrorsExitTwo(params string[] args)
    {
        var run = await InvokeAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("usage error:", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Theory]
    [InlineData("'0s' must be longer than zero.", "get", "1", "--deadline", "0s")]
    [InlineData("'25h' must be at most a day (24h).", "get", "1", "--deadline", "25h")]
    [InlineData("'soon' is not a duration", "get", "1", "--deadline", "soon")]
    [InlineData("--ca: '/no/such/ca.pem' cannot be read as PEM certificates", "get", "1", "--ca", "/no/such/ca.pem")]
    [InlineData("--price: 'abc' is not a number (e.g. 1000 or 9.99).", "add", "--item", "x", "--price", "abc")]
    [InlineData("--cancel-after: 0 would cancel before anything is sent; give a shipment count of 1 or more or a duration such as 500ms.", "process", "1", "--cancel-after", "0")]
    [InlineData("--cancel-after: '0s' must be longer than zero.", "process", "1", "--cancel-after", "0s")]
    [InlineData("--cancel-after: 'never' is neither a shipment count nor a duration (e.g. 2 or 500ms).", "process", "1", "--cancel-after", "never")]
    [InlineData("--loop repeats the scenario only (scenario --loop 5s); get runs once.", "get", "101", "--loop", "5s")]
    [InlineData("--address: 'ftp://x' is not an http://, https:// or dns:///host:port address.", "get", "1", "--address", "ftp://x")]
    [InlineData("--address: 'dns:orders-api' is not of the form dns:///host:port (e.g. dns:///orders-api:8080): the port is required.", "get", "1", "--address", "dns:orders-api")]
    [InlineData("--address: 'dns:///orders-api' is not of the form dns:///host:port (e.g. dns:///orders-api:8080): the port is required.", "get", "1", "--address", "dns:///orders-api")]
    [InlineData("--address: 'dns:///orders-api:0' is not of the form dns:///host:port", "get", "1", "--address", "dns:///orders-api:0")]
    [InlineData("--address: 'dns://10.0.0.2/orders-api:8080' is not of the form dns:///host:port", "get", "1", "--address", "dns://10.0.0.2/orders-api:8080")]
    [InlineData("add: --price is required (or --order with the whole order).", "add", "--item", "x")]
    [InlineData("add: --order is the whole order; leave out --item, --price.", "add", "--order", "{}", "--item", "x", "--price", "1")]
    [InlineData("add: --order is not valid JSON", "add", "--order", "{")]
    [InlineData("add: --order is not an order", "add", "--order", "{\"colour\":\"red\"}")]
    [InlineData("add: --order takes one order object, not an array.", "add", "--order", "[{},{}]")]
    public async Task UsageErrorsSayWhatIsWrongWithTheValue(string expected, params string[] args)
    {
        var run = await InvokeAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        // The user typed a price, not a System.Single.
        Assert.DoesNotContain("System.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsageErrorsAreJsonWithJson()
    {
        var run = await InvokeAsync("get", "1", "--deadline", "soon", "--json");

        Assert.Equal(2, run.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(run.StdoutLines));
        Assert.Equal("USAGE", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("'soon' is not a duration", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("line\nbreak")]
    [InlineData("")]
    public async Task ATokenThatCannotBeAHeaderValueIsAUsageErrorThatDoesNotRepeatIt(string token)
    {
        var run = await InvokeAsync("get", "1", "--token", token);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--token: a token is one word of printable ASCII characters", run.Stderr, StringComparison.Ordinal);
        if (token.Length > 0)
        {
            Assert.DoesNotContain(token, run.Stderr + run.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:50051")]
    [InlineData("https://orders.example:443")]
    [InlineData("dns:///orders-api:8080")]
    [InlineData("dns:///10.0.0.7:50051")]
    public void AnHttpHttpsOrDnsAddressIsAccepted(string address)
    {
        var parse = new OrdersCommandLine(TextWriter.Null, TextWriter.Null).Root.Parse(["get", "1", "--address", address]);

        Assert.Empty(parse.Errors);
    }

    [Fact]
    public async Task HelpSaysWhatADnsAddressDoes()
    {
        var run = await InvokeAsync("--help");

        Assert.Equal(0, run.ExitCode);
        var help = string.Join(' ', run.Stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("dns:///host:port to balance calls round robin over every address the name resolves to", help, StringComparison.Ordinal);
        Assert.Contains("(plaintext h2c; re-resolved every 30 s and when a connection fails)", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpListsEveryCommandAndGlobalOption()
    {
        var run = await InvokeAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var name in new[] { "scenario", "get <id>", "add", "search [<query>]", "update <file.json | ->", "process <id>...", "delete <id>", "--address", "--deadline", "--header", "--json", "--token <jwt>", "--ca <pem-file>" })
        {
            Assert.Contains(name, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("search", "search [<query>]")]
    [InlineData("update", "update <file.json | ->")]
    [InlineData("process", "process <id>...")]
    [InlineData("get", "get <id>")]
    public async Task TheCommandListShowsACommandAsItsOwnUsageLineDoes(string command, string usage)
    {
        var root = await InvokeAsync("--help");
        var own = await InvokeAsync(command, "--help");

        Assert.Contains($"  {usage}  ", root.Stdout, StringComparison.Ordinal);
        Assert.Contains($" {usage} [options]", own.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopIsListedUnderScenarioOnly_WhichIsAlsoWhatRunsWithoutACommand()
    {
        var root = await InvokeAsync("--help");
        var scenario = await InvokeAsync("scenario", "--help");
        var get = await InvokeAsync("get", "--help");

        Assert.DoesNotContain("--loop", root.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--loop", get.Stdout, StringComparison.Ordinal);
        Assert.Contains("--loop <interval>", scenario.Stdout, StringComparison.Ordinal);
        var commandLine = new OrdersCommandLine(TextWriter.Null, TextWriter.Null);
        Assert.Empty(commandLine.Root.Parse(["--loop", "5s"]).Errors);
        Assert.Empty(commandLine.Root.Parse(["scenario", "--loop", "5s"]).Errors);
    }
}
