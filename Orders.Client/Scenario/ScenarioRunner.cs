using System.Diagnostics;
using Grpc.Core;
using Orders.Client.Commands;
using Orders.Client.Output;
using OrdersAspire.Shared;

namespace Orders.Client.Scenario;

/// <summary>Runs the scenario's steps in order, each as a trace of its own, and reports expected vs actual outcomes.</summary>
public static class ScenarioRunner
{
    public static async Task<ScenarioRunResult?> RunOnceAsync(CommandContext context, int iteration, IReadOnlyList<ScenarioStep> steps)
    {
        var started = Stopwatch.GetTimestamp();
        var results = new List<ScenarioStepResult>(steps.Count);
        foreach (var step in steps)
        {
            var result = await RunStepAsync(context, results.Count + 1, step);
            if (result is null)
            {
                return null;
            }

            context.Output.ScenarioStep(result);
            results.Add(result);
        }

        var run = new ScenarioRunResult(iteration, results, Stopwatch.GetElapsedTime(started));
        context.Output.ScenarioSummary(run);
        return run;
    }

    /// <returns>The step's result, or null when Ctrl+C/SIGTERM interrupted it.</returns>
    private static async Task<ScenarioStepResult?> RunStepAsync(CommandContext context, int number, ScenarioStep step)
    {
        using var activity = OrdersClientTelemetry.StartRootActivity($"scenario {step.Name}");
        activity?.SetTag("scenario.step", number);
        activity?.SetTag("scenario.expected", GrpcStatusNames.Of((int)step.Expected));

        var started = Stopwatch.GetTimestamp();
        StepOutcome outcome;
        try
        {
            outcome = await step.Run(context);
        }
        catch (RpcException ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            outcome = step.OnError(ex);
        }
        catch (Exception ex) when ((ex is RpcException or OperationCanceledException) && context.CancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var passed = outcome.Status == step.Expected && outcome.DetailAsExpected;
        var actual = GrpcStatusNames.Of((int)outcome.Status);
        activity?.SetTag("scenario.actual", actual);
        activity?.SetStatus(passed ? ActivityStatusCode.Ok : ActivityStatusCode.Error, passed ? null : $"expected {GrpcStatusNames.Of((int)step.Expected)}, got {actual}");
        return new ScenarioStepResult(number, step.Name, GrpcStatusNames.Of((int)step.Expected), actual, passed, elapsed, outcome.Detail);
    }
}
