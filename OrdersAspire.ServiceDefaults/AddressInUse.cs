using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// An address already in use at start (another instance, or the AppHost, holds it) is one line on stderr naming the
/// address and how to choose another, and exit code 2 like any other bad setting: not an unhandled exception.
/// </summary>
public static class AddressInUse
{
    public const int ExitCode = 2;

    // The host logs every start failure with its stack trace; RunAsync reports the failure itself, once.
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Leaves a failed start to <see cref="RunAsync"/>: the host's own error lines are kept only once it has started.</summary>
    public static TBuilder ReportAddressInUse<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var start = new StartState();
        builder.Services.AddSingleton(start);
        // A rule with a filter replaces the configured level for its category: Information and up, as the defaults have it.
        builder.Logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (level < LogLevel.Error || start.Started));
        return builder;
    }

    /// <summary>
    /// Runs <paramref name="app"/> until it stops, then disposes it: 0, or <see cref="ExitCode"/> when an address it
    /// should listen on is taken. Any other failure is rethrown.
    /// </summary>
    /// <param name="name">The program, as the message names it.</param>
    /// <param name="howToChoose">The setting that picks another address, e.g. <c>--urls http://127.0.0.1:PORT</c>.</param>
    public static async Task<int> RunAsync(WebApplication app, string name, string howToChoose)
    {
        await using (app)
        {
            try
            {
                await app.StartAsync();
            }
            catch (IOException ex) when (ex.InnerException is AddressInUseException)
            {
                // Kestrel's message names the address: "Failed to bind to address http://127.0.0.1:50051: address already in use."
                await Console.Error.WriteLineAsync(
                    $"{name}: {ex.Message.TrimEnd('.')} (another {name}, or the AppHost, may be running); choose a free address with {howToChoose}.");
                return ExitCode;
            }

            app.Services.GetRequiredService<StartState>().Started = true;
            await app.WaitForShutdownAsync();
            return 0;
        }
    }

    private sealed class StartState
    {
        public volatile bool Started;
    }
}
