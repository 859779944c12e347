using Microsoft.Extensions.Hosting;

namespace Orders.Client.Hosting;

/// <summary>
/// The command line owns Ctrl+C/SIGTERM (System.CommandLine cancels the running command); the default console
/// lifetime would grab the same signals and stop the host underneath a command that is still shutting down.
/// </summary>
internal sealed class CommandLineHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
