using Grpc.Core;
using Orders.Tests.Api;
using OrdersAspire.Shared;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Client;

/// <summary>
/// <c>--json</c> on the command line, in process against Orders.Api on real Kestrel: stdout is one JSON object per line,
/// the result or the error alike, and nothing else.
/// </summary>
public sealed class JsonCommandLineTests : IAsyncLifetime
{
    private readonly Uri address = new($"http://127.0.0.1:{FreePort.Next()}");
    private OrdersApiFactory Api { get; set; } = null!;

    public Task InitializeAsync()
    {
        Api = new OrdersApiFactory(new Dictionary<string, string?> { ["urls"] = address.ToString() });
        Api.UseKestrel();
        Api.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();

    [Fact]
    public async Task GetPrintsTheOrderAsOneJsonLine()
    {
        var run = await InProcessOrdersClient.RunCommandLineAsync("get", "101", "--json", "--address", address.ToString());

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal(
            """{"id":"101","items":["Item - A","Item - B"],"description":"Sample order description.","price":1000,"destination":""}""" + Environment.NewLine,
            run.Stdout);
    }

    [Fact]
    public async Task AnUnknownOrderIsOneJsonErrorLineWithItsResourceInfo()
    {
        var run = await InProcessOrdersClient.RunCommandLineAsync("get", "nope", "--json", "--address", address.ToString());

        Assert.True(run.ExitCode == ExitCodes.ForStatus((int)StatusCode.NotFound), run.ToString());
        Assert.Equal(
            """{"error":{"code":"NOT_FOUND","status":5,"message":"Order nope not found.","details":[{"@type":"type.googleapis.com/google.rpc.ResourceInfo","resourceType":"order","resourceName":"nope","owner":"","description":"Order nope not found."}]}}""" + Environment.NewLine,
            run.Stdout);
    }
}
