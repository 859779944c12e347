using Microsoft.Extensions.Logging;

namespace Orders.Client.Hosting;

/// <summary>Where the CLI's log lines go, and the least level it shows (the command decides; see <see cref="CommandLineLoggerProvider"/>).</summary>
public sealed record CommandLineLog(TextWriter Stdout, TextWriter Stderr, bool Json, LogLevel MinimumLevel);

/// <summary>
/// The CLI's console log: one line per record, written at once (no background queue) to the writers the command's
/// results go to, so a scenario step's call lines come before its PASS/FAIL line. Information and below go to stdout,
/// warnings and errors to stderr; with --json every line goes to stderr, so stdout stays one JSON object per line.
/// </summary>
[ProviderAlias("CommandLine")]
public sealed class CommandLineLoggerProvider(CommandLineLog log) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CommandLineLogger(log);

    public void Dispose()
    {
    }

    private sealed class CommandLineLogger(CommandLineLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= log.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var writer = logLevel >= LogLevel.Warning || log.Json ? log.Stderr : log.Stdout;
            var line = exception is null ? $"{Label(logLevel)}: {formatter(state, exception)}" : $"{Label(logLevel)}: {formatter(state, exception)}{Environment.NewLine}{exception}";
            // Records can come from the threads that complete calls; one line must never interleave with another.
            lock (writer)
            {
                writer.WriteLine(line);
            }
        }

        /// <summary>The labels Microsoft's console logger uses, so lines read the same as the services'.</summary>
        private static string Label(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
