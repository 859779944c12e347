using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrdersAspire.AppHost.Commands;

/// <summary>
/// orders-client's loop stopped for the length of a command, through Aspire's own stop and start commands, as a user
/// would from the dashboard; started again when disposed.
/// </summary>
internal sealed class LoopPause : IAsyncDisposable
{
    /// <summary>A graceful stop finishes the current call and flushes telemetry (the client allows it 10 s).</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly ProjectResource client;
    private readonly ResourceCommandService commands;
    private readonly ILogger logger;

    private LoopPause(ProjectResource client, ResourceCommandService commands, ILogger logger)
    {
        this.client = client;
        this.commands = commands;
        this.logger = logger;
    }

    /// <summary>Stops <paramref name="client"/> and waits until it has; null, with <paramref name="problem"/> set, when it would not stop.</summary>
    public static async Task<(LoopPause? Pause, string? Problem)> StartAsync(ProjectResource client, IServiceProvider services, CancellationToken cancellationToken)
    {
        var commands = services.GetRequiredService<ResourceCommandService>();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(StopTimeout);
        var stop = await commands.ExecuteCommandAsync(client, KnownResourceCommands.StopCommand, bounded.Token);
        if (!stop.Success)
        {
            return (null, $"{client.Name}'s loop did not stop: {stop.Message}");
        }

        var pause = new LoopPause(client, commands, services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LoopPause).Namespace!));
        try
        {
            await services.GetRequiredService<ResourceNotificationService>().WaitForResourceAsync(
                client.Name, [KnownResourceStates.Exited, KnownResourceStates.Finished], bounded.Token);
            return (pause, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await pause.DisposeAsync();
            return (null, $"{client.Name}'s loop did not stop within {StopTimeout.TotalSeconds:0} s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        var start = await commands.ExecuteCommandAsync(client, KnownResourceCommands.StartCommand, CancellationToken.None);
        if (!start.Success)
        {
            logger.LoopNotRestarted(client.Name, start.Message);
        }
    }
}
