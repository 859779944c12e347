using System.CommandLine;
using Orders.Client.Scenario;

namespace Orders.Client.Commands;

/// <summary><c>scenario [--loop interval]</c>: the whole contract end to end; also what runs when no command is given.</summary>
internal static class ScenarioCommand
{
    /// <summary>Exit status of a single run with a step that did not get its expected outcome.</summary>
    public const int StepFailed = 1;

    /// <summary>Exit status when Ctrl+C/SIGTERM stopped the scenario before one run completed (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    public static Command Create(CommandRunner runner, out Action<Command> makeDefaultOf)
    {
        var loop = new Option<TimeSpan?>("--loop")
        {
            Description = "Repeat the scenario with this pause between runs until Ctrl+C/SIGTERM (e.g. 5s)",
            HelpName = "interval",
            CustomParser = CommandLineParsers.Duration,
        };
        var command = new Command("scenario", "Run every RPC and error path in order and report expected vs actual outcomes (the default command)") { loop };

        Func<ParseResult, CancellationToken, Task<int>> action = (parse, cancellationToken) =>
            runner.RunAsync(parse, context => RunAsync(context, parse.GetValue(loop)), cancellationToken);
        command.SetAction(action);
        makeDefaultOf = root =>
        {
            root.Options.Add(loop);
            root.SetAction(action);
        };
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, TimeSpan? loop)
    {
        var completedRuns = 0;
        for (var iteration = 1; ; iteration++)
        {
            var run = await ScenarioRunner.RunOnceAsync(context, iteration, ScenarioSteps.All);
            if (run is null)
            {
                return completedRuns > 0 ? ExitCodes.Success : Interrupted;
            }

            completedRuns++;
            if (loop is not { } interval)
            {
                return run.Passed ? ExitCodes.Success : StepFailed;
            }

            try
            {
                await Task.Delay(interval, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                // A graceful stop of a loop that ran is success: the loop exists to keep traffic flowing.
                return ExitCodes.Success;
            }
        }
    }
}
