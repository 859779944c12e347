using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Orders.Tests.Client;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;
using OrdersAspire.TestHarness;
using static Microsoft.Playwright.Assertions;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The issue's proof: calls of every method made by the real Orders.Client against a real Orders.Api that captures
/// messages and exports to the insights; each call's <c>reproduce.client</c> line from <c>/api/grpc/calls</c>, run by
/// bash, ends as the traced call did (its exit code is the traced status's) and, for reads, prints the same answer.
/// The calls page in Chromium carries the same lines on its copy buttons, and a click puts one on the clipboard.
/// </summary>
[Collection(InsightsServersDefinition.Name)]
[Requires(Need.Chromium)]
public sealed partial class ReproduceLineTests
{
    private static readonly string ClientDll = RepositoryPaths.ProjectOutput("Orders.Client");

    /// <param name="Arguments">The client's command after the global options.</param>
    /// <param name="Read">A read: the repeated call prints the same answer.</param>
    private sealed record TracedCall(string Name, string[] Arguments, string Status, bool Read, string? Stdin = null, string[]? Options = null)
    {
        public string RequestId { get; } = $"repro-{Guid.NewGuid():N}";
    }

    [Fact]
    public async Task EveryMethodsClientLine_EndsWithTheTracedStatus_AndReadsAnswerTheSame()
    {
        await using var insights = await InsightsHost.StartAsync($"Insights:Reproduce:ClientCommand=dotnet {ClientDll}");
        var apiEnvironment = OrdersEndToEndTests.Otel(insights, "orders-api", "api-repro");
        apiEnvironment["Orders__Telemetry__CaptureMessages"] = "true";
        await using var api = await OrdersApiProcess.StartAsync(environment: apiEnvironment);
        TracedCall[] calls =
        [
            new("get", ["get", "101"], "OK", Read: true),
            new("get missing", ["get", "no-such-order"], "NOT_FOUND", Read: false),
            new("get too slow", ["get", "102"], "DEADLINE_EXCEEDED", Read: false, Options: ["--deadline", "2s", "--header", "x-orders-delay-ms=10000"]),
            new("search", ["search", "Item - A"], "OK", Read: true),
            new("add", ["add", "--item", "it's \"quoted\"", "--item", "Grüße 東京", "--price", "12.5", "--destination", "a\nb"], "OK", Read: false),
            new("add invalid", ["add", "--item", "X", "--price", "-1"], "INVALID_ARGUMENT", Read: false),
            new("update", ["update", "-"], "OK", Read: false, Stdin: """[{"id":"r-1","items":["$(id) `id`"],"price":3},{"id":"r-2","items":["b"],"description":"ö"}]"""),
            new("process", ["process", "102", "103"], "OK", Read: true),
            new("delete missing", ["delete", "no-such-order"], "NOT_FOUND", Read: false),
        ];

        var originals = new Dictionary<TracedCall, CommandResult>();
        var entries = new List<JsonElement>();
        foreach (var call in calls)
        {
            originals[call] = await ClientProcess.RunAsync(
                ["--address", api.Address.ToString().TrimEnd('/'), "--header", $"x-request-id={call.RequestId}", .. call.Options ?? [], .. call.Arguments],
                call.Stdin, OrdersEndToEndTests.Otel(insights, "orders-client", "client-repro"));
            Assert.True(originals[call].ExitCode == ExitCodes.ForStatus(GrpcStatusNames.CodeOf(call.Status)!.Value), $"{call.Name}: {originals[call]}");
        }

        foreach (var call in calls)
        {
            var traced = await TracedCallAsync(insights, call.RequestId);
            entries.Add(traced);
            Assert.True(traced.Str("status") == call.Status, $"{call.Name}: {traced}");
            var line = traced.GetProperty("reproduce").Str("client");
            var repeat = await ExternalCommand.RunAsync(
                "bash", ["-c", line], TimeSpan.FromSeconds(60),
                new Dictionary<string, string?> { ["services__orders-api__http__0"] = null },
                workingDirectory: Path.GetDirectoryName(ClientDll));

            Assert.True(repeat.ExitCode == originals[call].ExitCode, $"{call.Name}: `{line}` {repeat}");
            if (call.Read)
            {
                Assert.Equal(WithoutShipmentIds(originals[call].Stdout), WithoutShipmentIds(repeat.Stdout));
            }
        }

        await ShowCopyButtonsAsync(insights, entries);
    }

    /// <summary>Every traced call's two lines are on copy buttons of the calls page; clicking one copies its line.</summary>
    private static async Task ShowCopyButtonsAsync(InsightsHost insights, List<JsonElement> entries)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.OpenAsync(browser, insights.FrontendUrl, "/grpc");
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var clientButtons = page.Locator("#grpc-calls .copy-client");
        await Expect(clientButtons.First).ToBeVisibleAsync();
        var clientLines = await Lines(clientButtons);
        var grpcurlLines = await Lines(page.Locator("#grpc-calls .copy-grpcurl"));
        foreach (var entry in entries)
        {
            var reproduce = entry.GetProperty("reproduce");
            Assert.Contains(reproduce.Str("client"), clientLines);
            Assert.Contains(reproduce.Str("grpcurl"), grpcurlLines);
        }

        var update = entries.Single(e => e.Str("method") == "ecommerce.OrderManagement/updateOrders").GetProperty("reproduce").Str("client");
        var button = clientButtons.Nth(Array.IndexOf(clientLines, update));
        await button.ClickAsync();
        await Expect(button.Locator("xpath=following-sibling::span[contains(@class, 'copy-result')]")).ToHaveTextAsync("Orders.Client line copied");
        Assert.Equal(update, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await Chromium.ScreenshotAsync(page, "grpc-insights-reproduce.png");
    }

    private static async Task<string[]> Lines(ILocator buttons) =>
        [.. (await buttons.EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.line)"))];

    /// <summary>A combined shipment's id is new on every call (a GUID); the orders in it are the answer.</summary>
    private static string WithoutShipmentIds(string stdout) => ShipmentId().Replace(stdout, "<shipment id>");

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex ShipmentId();

    /// <summary>The call's entry once both its spans are in and its request is recorded (bounded wait).</summary>
    private static async Task<JsonElement> TracedCallAsync(InsightsHost insights, string requestId)
    {
        async Task<JsonElement[]> Entries() => [.. (await insights.Http.GetJsonAsync("/api/grpc/calls?limit=10000")).EnumerateArray().Where(c => c.Str("requestId") == requestId)];
        static bool Complete(JsonElement call) =>
            call.GetProperty("clientSpanId").ValueKind == JsonValueKind.String
            && call.GetProperty("serverSpanId").ValueKind == JsonValueKind.String
            && call.GetProperty("reproduce").ValueKind == JsonValueKind.Object;
        try
        {
            return (await Eventually.HoldsAsync(Entries, entries => entries.Any(Complete), $"the traced call with request id {requestId}", timeoutSeconds: 30)).First(Complete);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Its entries: {string.Join("\n", await Entries())}", ex);
        }
    }
}
