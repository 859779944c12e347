using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orders.Client;
using Orders.Client.Commands;
using Orders.Client.Output;
using Orders.Client.Scenario;
using Orders.Tests.Api;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;
using OrdersAspire.TestHarness;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Client;

/// <summary>
/// Each scenario step's outcome, the client in process against Orders.Api on real Kestrel (fault injection on, a fresh
/// seeded database per test): the whole run as <c>scenario --json</c> prints it and the database it leaves, and each
/// step whose check goes beyond the status run where that check must fail.
/// </summary>
[Collection(ProcessWideTelemetryDefinition.Name)]
public sealed partial class ScenarioStepsTests : IAsyncLifetime
{
    private readonly Uri address = new($"http://127.0.0.1:{FreePort.Next()}");
    private StringWriter Output { get; } = new();

    private OrdersApiFactory Api { get; set; } = null!;

    private ServiceProvider ClientServices { get; set; } = null!;

    public Task InitializeAsync()
    {
        Api = new OrdersApiFactory(new Dictionary<string, string?> { ["urls"] = address.ToString() });
        Api.UseKestrel();
        Api.StartServer();
        ClientServices = InProcessOrdersClient.ForAddress(address);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await ClientServices.DisposeAsync();
        await Api.DisposeAsync();
        await Output.DisposeAsync();
    }

    [Fact]
    public async Task ScenarioJson_PrintsEveryStepsOutcomeAndTheSummary_AndLeavesTheDatabaseForTheNextRun()
    {
        var run = await InProcessOrdersClient.RunCommandLineAsync("scenario", "--json", "--address", address.ToString());

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var lines = run.StdoutLines.Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        var added = AddedOrderId().Match(lines[2]["detail"]!.GetValue<string>());
        Assert.True(added.Success, run.Stdout);
        var addedId = added.Groups[1].Value;
        lines[2]["detail"] = "id <added>";
        Assert.Contains(lines[8]["detail"]!.GetValue<string>(), DeadlineDetails);
        lines[8]["detail"] = "<deadline>";
        string[] expected =
            [
                """{"step":1,"name":"prepare: update 101-104 (sample orders)","expected":"OK","actual":"OK","passed":true,"detail":"Updated IDs: 101 102 103 104"}""",
                """{"step":2,"name":"get 101","expected":"OK","actual":"OK","passed":true,"detail":"items Item - A, Item - B"}""",
                """{"step":3,"name":"add an order","expected":"OK","actual":"OK","passed":true,"detail":"id <added>"}""",
                """{"step":4,"name":"search \"Item - A\" (server stream)","expected":"OK","actual":"OK","passed":true,"detail":"2 orders: 101 103"}""",
                """{"step":5,"name":"update 101-103 (client stream)","expected":"OK","actual":"OK","passed":true,"detail":"Updated IDs: 101 102 103"}""",
                """{"step":6,"name":"process, cancelled mid-stream (bidi)","expected":"CANCELLED","actual":"CANCELLED","passed":true,"detail":"Call canceled by the client."}""",
                """{"step":7,"name":"delete 101","expected":"OK","actual":"OK","passed":true,"detail":"deleted"}""",
                """{"step":8,"name":"get 101 after delete","expected":"NOT_FOUND","actual":"NOT_FOUND","passed":true,"detail":"Order 101 not found."}""",
                """{"step":9,"name":"get 102, delayed past its deadline","expected":"DEADLINE_EXCEEDED","actual":"DEADLINE_EXCEEDED","passed":true,"detail":"<deadline>"}""",
                """{"step":10,"name":"add with invalid fields","expected":"INVALID_ARGUMENT","actual":"INVALID_ARGUMENT","passed":true,"detail":"field violations: items, price"}""",
                """{"summary":{"run":1,"passed":true,"stepsPassed":10,"steps":10}}""",
            ];
        // One text, so a difference is shown where it is rather than as a collection index.
        Assert.Equal(string.Join('\n', expected), string.Join('\n', lines.Select(WithoutElapsed)));

        var orders = ClientServices.GetRequiredService<OrderManagementClient>();
        Assert.Equal(
            new Order { Id = addedId, Items = { "Scenario widget", "Scenario gadget" }, Price = 42.5f, Description = "Added by the scenario.", Destination = "Mountain View, CA" },
            await orders.getOrderAsync(new StringValue { Value = addedId }));
        // 101 is gone until the next run's first step brings it back; 102-104 are the samples with the contract's destinations.
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () => await orders.getOrderAsync(new StringValue { Value = "101" }))).StatusCode);
        Assert.Equal(["San Jose, CA", "Mountain View, CA", ""], await DestinationsAsync("102", "103", "104"));
    }

    [Fact]
    public async Task TheUpdateStepGivesTheContractsDestinations_AndThePrepareStepTakesThemAway()
    {
        var update = ScenarioSteps.All.Single(s => s.Name == "update 101-103 (client stream)");
        var prepare = ScenarioSteps.All.Single(s => s.Name == "prepare: update 101-104 (sample orders)");

        Assert.True((await RunAsync(update)).Passed, Output.ToString());
        Assert.Equal(["Mountain View, CA", "San Jose, CA", "Mountain View, CA", ""], await DestinationsAsync("101", "102", "103", "104"));

        Assert.True((await RunAsync(prepare)).Passed, Output.ToString());
        var orders = ClientServices.GetRequiredService<OrderManagementClient>();
        foreach (var sample in SampleOrders.All)
        {
            Assert.Equal(sample, await orders.getOrderAsync(new StringValue { Value = sample.Id }));
        }
    }

    [Fact]
    public async Task TheSearchStepFails_WhenOneOfItsTwoOrdersIsMissing()
    {
        await ClientServices.GetRequiredService<OrderManagementClient>().deleteOrderAsync(new StringValue { Value = "103" });

        var run = await RunAsync(ScenarioSteps.All.Single(s => s.Name.StartsWith("search", StringComparison.Ordinal)));

        Assert.Equal(new StepSummary(1, "search \"Item - A\" (server stream)", "OK", "OK", false, "1 orders: 101"), Assert.Single(Summaries(run)));
    }

    [Fact]
    public async Task AStepExpectingNotFoundThatGetsOk_FailsAndItsSpanSaysSo()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OrdersClientTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        // 101 was never deleted here, so the step after the delete finds it.
        var run = await RunAsync(ScenarioSteps.All.Single(s => s.Name == "get 101"), ScenarioSteps.All.Single(s => s.Name == "get 101 after delete"));

        Assert.False(run.Passed);
        Assert.Equal(
            [
                new StepSummary(1, "get 101", "OK", "OK", true, "items Item - A, Item - B"),
                new StepSummary(2, "get 101 after delete", "NOT_FOUND", "OK", false, "still there: 101"),
            ],
            Summaries(run));
        Assert.Equal(
            [
                ("scenario get 101", 1, "OK", "OK", ActivityStatusCode.Ok, null),
                ("scenario get 101 after delete", 2, "NOT_FOUND", "OK", ActivityStatusCode.Error, "expected NOT_FOUND, got OK"),
            ],
            stopped.Where(a => a.OperationName.StartsWith("scenario ", StringComparison.Ordinal)).Select(a => (
                a.OperationName, (int)a.GetTagItem("scenario.step")!, (string)a.GetTagItem("scenario.expected")!, (string)a.GetTagItem("scenario.actual")!,
                a.Status, a.StatusDescription)));
    }

    [Fact]
    public async Task UnderADeadlineShorterThanTheInjectedDelay_EveryStepEndsDeadlineExceeded_AndTheRunGoesOnToItsSummary()
    {
        // What `scenario --deadline 100ms --header x-orders-delay-ms=2000` asks: no step gets an answer, and none may crash the run.
        var run = await RunAsync(
            new CallSettings(TimeSpan.FromMilliseconds(100), [new Metadata.Entry(OrdersHeaders.DelayMs, "2000")]),
            [.. ScenarioSteps.All.Where(s => s.Name is "get 101" or "add with invalid fields")]);

        Assert.NotNull(run);
        Assert.Equal(
            [
                new StepSummary(1, "get 101", "OK", "DEADLINE_EXCEEDED", false, ""),
                new StepSummary(2, "add with invalid fields", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", false, "field violations: "),
            ],
            Summaries(run).Select(s => s with { Detail = s.Number == 1 && DeadlineDetails.Contains(s.Detail) ? "" : s.Detail }));
        Assert.EndsWith($"0/2 steps passed in {run.Elapsed.TotalMilliseconds:0} ms{Environment.NewLine}", Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunInterruptedMidStep_ReportsNeitherThatStepNorASummary()
    {
        using var interrupt = new CancellationTokenSource();
        var context = new CommandContext(
            ClientServices.GetRequiredService<OrderManagementClient>(), new TextOutput(Output, Output),
            new CallSettings(null, [new Metadata.Entry(OrdersHeaders.DelayMs, "5000")]), interrupt.Token);

        // Ctrl+C while the server holds the call in its injected delay.
        interrupt.CancelAfter(TimeSpan.FromMilliseconds(300));
        var run = await ScenarioRunner.RunOnceAsync(context, 1, [ScenarioSteps.All.Single(s => s.Name == "get 101")]);

        Assert.Null(run);
        Assert.Empty(Output.ToString());
    }

    [Fact]
    public async Task AStepThatThrowsSomethingElse_IsNotTakenForAnInterruption()
    {
        var broken = new ScenarioStep("broken", StatusCode.OK, _ => throw new OperationCanceledException("a timeout of the step's own"));

        await Assert.ThrowsAsync<OperationCanceledException>(() => RunAsync(broken));
        Assert.Empty(Output.ToString());
    }

    /// <summary>
    /// A passed deadline's message: whichever timer fires first ends the call, the client's (no message), the handler's
    /// (Orders.Api's own message) or grpc-dotnet's on the server.
    /// </summary>
    private static readonly string[] DeadlineDetails = ["", "Deadline exceeded.", "Deadline Exceeded"];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record StepSummary(int Number, string Name, string Expected, string Actual, bool Passed, string? Detail);

    private static List<StepSummary> Summaries(ScenarioRunResult run) =>
        [.. run.Steps.Select(s => new StepSummary(s.Number, s.Name, s.Expected, s.Actual, s.Passed, s.Detail))];

    private Task<ScenarioRunResult> RunAsync(params ScenarioStep[] steps) => RunAsync(new CallSettings(null, []), steps);

    private async Task<ScenarioRunResult> RunAsync(CallSettings settings, ScenarioStep[] steps)
    {
        var context = new CommandContext(ClientServices.GetRequiredService<OrderManagementClient>(), new TextOutput(Output, Output), settings, CancellationToken.None);
        return await ScenarioRunner.RunOnceAsync(context, 1, steps) ?? throw new InvalidOperationException("Nothing interrupted this run.");
    }

    private async Task<string[]> DestinationsAsync(params string[] ids)
    {
        var orders = ClientServices.GetRequiredService<OrderManagementClient>();
        return await Task.WhenAll(ids.Select(async id => (await orders.getOrderAsync(new StringValue { Value = id })).Destination));
    }

    /// <summary>The line as JSON text without its elapsed time, which must be there and be a time.</summary>
    private static string WithoutElapsed(JsonObject line)
    {
        var outcome = line["summary"]?.AsObject() ?? line;
        Assert.True(outcome["elapsedMs"]!.GetValue<double>() >= 0, line.ToJsonString());
        outcome.Remove("elapsedMs");
        return line.ToJsonString(Relaxed);
    }

    [GeneratedRegex("^id (.+)$")]
    private static partial Regex AddedOrderId();
}
