using Microsoft.Extensions.Logging;

namespace OrdersAspire.AppHost.Commands;

internal static partial class CallCommandLog
{
    // The AppHost's console says what each command from the dashboard ran and how it ended.
    [LoggerMessage(EventId = 1, EventName = "CallCommandEnded", Level = LogLevel.Information,
        Message = "{Resource} command {Command} ({ClientCommandLine}) ended with exit code {ExitCode} in {ElapsedMs} ms: {Outcome}")]
    public static partial void CallCommandEnded(
        this ILogger logger, string resource, string command, string clientCommandLine, int exitCode, long elapsedMs, string outcome);

    [LoggerMessage(EventId = 2, EventName = "CallCommandStopped", Level = LogLevel.Warning,
        Message = "{Resource} command {Command} ({ClientCommandLine}) was stopped after {ElapsedMs} ms")]
    public static partial void CallCommandStopped(this ILogger logger, string resource, string command, string clientCommandLine, long elapsedMs);

    // The client stays stopped on the Resources page; its start command there is the way back.
    [LoggerMessage(EventId = 3, EventName = "LoopNotRestarted", Level = LogLevel.Warning,
        Message = "{Resource} did not start again after the scenario command: {Problem}")]
    public static partial void LoopNotRestarted(this ILogger logger, string resource, string? problem);
}
