using System.Text.Json;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api;

/// <summary>
/// Cross-language: our grpcio script (Debian's /usr/bin/python3, stubs generated from the proto at test time) drives
/// the real Orders.Api process over h2c — all six RPCs, a deadline, a cancellation, NOT_FOUND and INVALID_ARGUMENT details.
/// </summary>
[Requires(Need.Python)]
public sealed class PythonClientTests(OrdersApiProcessFixture fixture) : IClassFixture<OrdersApiProcessFixture>
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PythonGrpcioClientExercisesEveryRpc()
    {
        var steps = await RunScriptAsync();

        Assert.Equal(["Item - A", "Item - B"], Strings(steps["get"], "items"));
        Assert.NotEqual("ignored", steps["add"].GetProperty("id").GetString());
        Assert.Equal(["Py - 1"], Strings(steps["add"], "stored_items"));
        Assert.Equal(["101", "103"], Strings(steps["search"], "ids"));
        Assert.Equal("Updated IDs: 101 102 103 104", steps["update"].GetProperty("reply").GetString());
        Assert.Equal(
            ["PROCESSED 101 103", "PROCESSED 102", "NOT_FOUND 999", "PROCESSED 104"],
            steps["process"].GetProperty("shipments").EnumerateArray().Select(s => string.Join(' ', s.EnumerateArray().Select(v => v.GetString()))));
        Assert.Equal("CANCELLED", steps["process_cancel"].GetProperty("code").GetString());
        Assert.Equal(["101", "103"], Strings(steps["process_cancel"], "first"));
        Assert.Equal("DEADLINE_EXCEEDED", steps["deadline"].GetProperty("code").GetString());
        // grpcio reports both codes from its own timer and cancel(); the server's own lines show it saw both end early.
        await AssertTheServerEndedAsync(steps["process_cancel"], "CANCELLED");
        await AssertTheServerEndedAsync(steps["deadline"], "DEADLINE_EXCEEDED");
        var deleted = steps["delete"];
        Assert.Equal("NOT_FOUND", deleted.GetProperty("code").GetString());
        Assert.Equal("Order 104 not found.", deleted.GetProperty("message").GetString());
        Assert.Equal("order", deleted.GetProperty("resource").GetProperty("type").GetString());
        Assert.Equal("104", deleted.GetProperty("resource").GetProperty("name").GetString());
        Assert.Equal("INVALID_ARGUMENT", steps["invalid"].GetProperty("code").GetString());
        Assert.Equal(["items", "price"], Strings(steps["invalid"], "violations"));
    }

    private async Task<Dictionary<string, JsonElement>> RunScriptAsync()
    {
        var run = await PythonContract.RunClientAsync($"127.0.0.1:{fixture.Api.Address.Port}", ScriptTimeout);
        Assert.True(run.ExitCode == 0, $"orders_client.py {run}\n{fixture.Api.Output}");
        return run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(step => step.GetProperty("step").GetString()!);
    }

    private async Task AssertTheServerEndedAsync(JsonElement step, string status)
    {
        var call = await fixture.Api.CallLogAsync(step.GetProperty("request_id").GetString()!);
        Assert.Contains($" ended {status} ", call.Ended, StringComparison.Ordinal);
        Assert.Contains(", handler cancelled: ", call.Ended, StringComparison.Ordinal);
        // Given up, not waited out: the script's calls would otherwise sit in the 30 s injected delay.
        Assert.True(call.ElapsedMs < 30_000, call.Ended);
    }

    private static List<string?> Strings(JsonElement step, string property) =>
        step.GetProperty(property).EnumerateArray().Select(value => value.GetString()).ToList();
}
