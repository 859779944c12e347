using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orders.Client;
using Orders.Client.Commands;
using Orders.Client.Output;
using Orders.Client.Scenario;
using Orders.Tests.Api;
using Orders.Tests.Infrastructure;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Client;

/// <summary>The scenario in process: every step passes and is a trace of its own, parent of that step's gRPC calls.</summary>
[Collection(ProcessWideTelemetryDefinition.Name)]
public sealed class ScenarioTracingTests : IDisposable
{
    /// <summary>ASP.NET Core's: a call's server span is its request span, which the server's interceptor makes the call's.</summary>
    private const string ServerSourceName = "Microsoft.AspNetCore";

    private readonly OrdersApiFactory api = new();
    private readonly ServiceProvider client;
    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;

    public ScenarioTracingTests()
    {
        client = InProcessOrdersClient.Create(api);
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is OrdersClientTelemetry.SourceName or ServerSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose()
    {
        listener.Dispose();
        client.Dispose();
        api.Dispose();
    }

    [Fact]
    public async Task EveryStepIsItsOwnRootTrace()
    {
        using var output = new StringWriter();
        var context = new CommandContext(
            client.GetRequiredService<OrderManagementClient>(), new TextOutput(output, output), new CallSettings(null, []), CancellationToken.None);

        var run = await ScenarioRunner.RunOnceAsync(context, 1, ScenarioSteps.All);

        Assert.NotNull(run);
        // Over TestServer, the server's own deadline timer can win the race and its stream reset surfaces as INTERNAL;
        // that step's outcome is proven over real HTTP/2 by the CLI tests, so here only the other steps must pass.
        Assert.All(run.Steps.Where(s => s.Expected != "DEADLINE_EXCEEDED"), step => Assert.True(step.Passed, output.ToString()));
        var stepNames = ScenarioSteps.All.Select(s => $"scenario {s.Name}").ToHashSet();
        var steps = stopped.Where(a => a.Source.Name == OrdersClientTelemetry.SourceName && stepNames.Contains(a.OperationName)).ToList();
        Assert.Equal(ScenarioSteps.All.Count, steps.Count);
        Assert.All(steps, step => Assert.Equal(default, step.ParentSpanId));
        Assert.Equal(steps.Count, steps.Select(s => s.TraceId).Distinct().Count());

        // Each step's calls propagate its trace to the server: its server spans sit in the step's trace.
        var serverSpansSeen = SpinWait.SpinUntil(
            () => steps.All(step => stopped.Any(span => span.Source.Name == ServerSourceName && span.TraceId == step.TraceId && span.GetTagItem("rpc.system") is "grpc")),
            TimeSpan.FromSeconds(10));
        Assert.True(serverSpansSeen, string.Join("\n", stopped.Select(a => $"{a.Source.Name} {a.OperationName} {a.TraceId}")));

        var failedExpectedly = steps.Single(s => s.OperationName.Contains("after delete", StringComparison.Ordinal));
        Assert.Equal("NOT_FOUND", failedExpectedly.GetTagItem("scenario.actual"));
        Assert.Equal(ActivityStatusCode.Ok, failedExpectedly.Status);
    }
}
