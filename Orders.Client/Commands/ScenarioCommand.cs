using System.CommandLine;
using Microsoft.Extensions.Logging;
using Orders.Client.Scenario;
using OrdersAspire.Shared;

namespace Orders.Client.Commands;

/// <summary><c>scenario [--loop interval]</c>: the whole contract end to end; also what runs when no command is given.</summary>
internal static class ScenarioCommand
{
    public const string Name = "scenario";

    public const string LoopOptionName = "--loop";

    public static Command Create(CommandRunner runner, out Action<Command> makeDefaultOf)
    {
        // The scenario shows each call's one log line (Information) before its step's result; a call's details are its point.
        Func<ParseResult, CancellationToken, Task<int>> Run(Option<TimeSpan?> loop) => (parse, cancellationToken) =>
            runner.RunAsync(parse, context => RunAsync(context, parse.GetValue(loop)), cancellationToken, LogLevel.Information);

        var loop = LoopOption();
        var command = new Command(Name, "Run every RPC and error path in order and report expected vs actual outcomes (the default command)") { loop };
        command.SetAction(Run(loop));

        makeDefaultOf = root =>
        {
            // The root runs the scenario when no command is given, so it takes --loop too; its help lists the option
            // under scenario only, because no other command repeats.
            var rootLoop = LoopOption();
            rootLoop.Hidden = true;
            root.Options.Add(rootLoop);
            root.SetAction(Run(rootLoop));
        };
        return command;
    }

    private static Option<TimeSpan?> LoopOption() => new(LoopOptionName)
    {
        Description = "Repeat the scenario with this pause between runs until Ctrl+C/SIGTERM (e.g. 5s)",
        HelpName = "interval",
        CustomParser = CommandLineParsers.Duration,
    };

    private static async Task<int> RunAsync(CommandContext context, TimeSpan? loop)
    {
        var completedRuns = 0;
        for (var iteration = 1; ; iteration++)
        {
            var run = await ScenarioRunner.RunOnceAsync(context, iteration, ScenarioSteps.All);
            if (run is null)
            {
                return completedRuns > 0 ? ExitCodes.Success : ExitCodes.Interrupted;
            }

            completedRuns++;
            if (loop is not { } interval)
            {
                return run.Passed ? ExitCodes.Success : ExitCodes.Failed;
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
