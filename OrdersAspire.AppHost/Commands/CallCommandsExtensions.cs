using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrdersAspire.AppHost.Replicas;
using OrdersAspire.Shared;

namespace OrdersAspire.AppHost.Commands;

internal static class CallCommandsExtensions
{
    /// <summary>
    /// Adds <see cref="CallCommands.All"/> to <paramref name="client"/>'s commands in the dashboard: each runs the
    /// built Orders.Client once (<see cref="ClientRun"/>), bounded in time, and succeeds when it ends with the status
    /// it aims for, its one-line outcome as the message and its output as the result; one that
    /// <see cref="CallCommand.PausesTheLoop"/> stops the client's loop meanwhile. Enabled while the client runs
    /// and <paramref name="api"/> has a running replica, as of the client's latest state change.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCallCommands(
        this IResourceBuilder<ProjectResource> client, IResourceBuilder<ProjectResource> api)
    {
        var apiReplicas = ReplicaAddresses.Follow(client.ApplicationBuilder, api.Resource);
        foreach (var command in CallCommands.All)
        {
            client.WithCommand(command.Name, command.DisplayName, context => ExecuteAsync(client.Resource, command, context), new CommandOptions
            {
                Description = $"{command.Description} Runs: {command.ClientCommandLine}",
                IconName = command.IconName,
                UpdateState = state => state.ResourceSnapshot.State?.Text == KnownResourceStates.Running && apiReplicas.Running().Count > 0
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
        }

        return client;
    }

    private static async Task<ExecuteCommandResult> ExecuteAsync(ProjectResource client, CallCommand command, ExecuteCommandContext context)
    {
        var logger = context.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CallCommandsExtensions).Namespace!);
        LoopPause? pause = null;
        if (command.PausesTheLoop)
        {
            (pause, var problem) = await LoopPause.StartAsync(client, context.Services, context.CancellationToken);
            if (problem is not null)
            {
                return CommandResults.Failure(problem);
            }
        }

        ClientRunResult run;
        await using (pause)
        {
            run = await ClientRun.RunAsync(client, command.ClientArguments, command.Name, context.Services, context.CancellationToken);
        }

        var elapsedMs = (long)run.Elapsed.TotalMilliseconds;
        if (run.ExitCode is not { } exitCode)
        {
            logger.CallCommandStopped(client.Name, command.Name, command.ClientCommandLine, elapsedMs);
            return context.CancellationToken.IsCancellationRequested
                ? CommandResults.Canceled()
                : CommandResults.Failure($"Orders.Client did not end within {ClientRun.Timeout.TotalSeconds:0} s and was stopped.", run.Output, CommandResultFormat.Text);
        }

        logger.CallCommandEnded(client.Name, command.Name, command.ClientCommandLine, exitCode, elapsedMs, run.Outcome);
        return exitCode == command.ExpectedExitCode
            ? CommandResults.Success(run.Outcome, run.Output, CommandResultFormat.Text)
            : CommandResults.Failure(
                string.Join(' ', [$"Expected {command.ExpectedStatus}, ended {Ending(exitCode)}: {run.Outcome}", .. run.FailedSteps]),
                run.Output,
                CommandResultFormat.Text);
    }

    /// <summary>What Orders.Client's exit status says (README's exit-code table).</summary>
    private static string Ending(int exitCode) => exitCode switch
    {
        ExitCodes.Success => "OK",
        ExitCodes.Failed => "with a failed scenario step",
        ExitCodes.Usage => "with a usage error",
        >= ExitCodes.RpcErrorBase and < ExitCodes.RpcErrorBase + 17 => GrpcStatusNames.Of(exitCode - ExitCodes.RpcErrorBase),
        _ => $"with exit code {exitCode}",
    };
}
