using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrdersAspire.Shared;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A start its operator can fix — a setting out of range or of the wrong form (<see cref="BadSettings"/>), an address
/// already in use (another instance, or the AppHost, holds it) — ends with one line on stderr naming it, and exit code
/// 2: not an unhandled exception with a stack trace.
/// </summary>
public static class StartFailures
{
    // The host logs every start failure with its stack trace; RunAsync reports the failure itself, once.
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Leaves a failed start to <see cref="RunAsync"/>: the host's own error lines are kept only once it has started.</summary>
    public static TBuilder ReportStartFailures<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var start = new StartState();
        builder.Services.AddSingleton(start);
        // A rule with a filter replaces the configured level for its category: Information and up, as the defaults have it.
        builder.Logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (level < LogLevel.Error || start.Started));
        return builder;
    }

    /// <summary>
    /// Builds the app with <paramref name="build"/>, runs it until it stops, then disposes it: <see cref="ExitCodes.Success"/>, or
    /// <see cref="ExitCodes.Usage"/> when a setting is refused (while building or starting), an address it should listen on
    /// is not one (<see cref="KestrelAddresses.ThrowIfUnusable"/>) or is taken. Any other failure is rethrown.
    /// </summary>
    /// <param name="name">The program, as the message names it.</param>
    /// <param name="howToChoose">The setting that picks another address, e.g. <c>--urls http://127.0.0.1:PORT</c>.</param>
    public static async Task<int> RunAsync(string name, string howToChoose, Func<WebApplication> build)
    {
        try
        {
            await using var app = build();
            KestrelAddresses.Read(app.Configuration).ThrowIfUnusable();
            try
            {
                await app.StartAsync();
            }
            catch (IOException ex) when (ex.InnerException is AddressInUseException)
            {
                // Kestrel's message names the address: "Failed to bind to address http://127.0.0.1:50051: address already in use."
                await Console.Error.WriteLineAsync(
                    $"{name}: {ex.Message.TrimEnd('.')} (another {name}, or the AppHost, may be running); choose a free address with {howToChoose}.");
                return ExitCodes.Usage;
            }

            app.Services.GetRequiredService<StartState>().Started = true;
            await app.WaitForShutdownAsync();
            return ExitCodes.Success;
        }
        catch (Exception ex) when (BadSettings.Describe(ex) is { Count: > 0 } lines)
        {
            foreach (var line in lines)
            {
                await Console.Error.WriteLineAsync($"{name}: {line}");
            }

            return ExitCodes.Usage;
        }
    }

    private sealed class StartState
    {
        public volatile bool Started;
    }
}
