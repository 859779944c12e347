using System.Text.RegularExpressions;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>
/// Formats a resource's console line for the AppHost's own output: "replica-id | line", the prefix coloured per resource
/// on a terminal so interleaved output stays readable; plain text (children's ANSI colours removed) when redirected.
/// </summary>
internal sealed partial class ConsoleEcho(string resource, string replicaId)
{
    private static readonly int[] AnsiColours = [36, 35, 33, 32, 34, 96, 95, 93];

    private readonly string prefix = Console.IsOutputRedirected
        ? $"{replicaId} | "
        // A stable colour per resource name (string.GetHashCode is randomised per process).
        : $"\u001b[{AnsiColours[resource.Sum(c => c) % AnsiColours.Length]}m{replicaId}\u001b[0m | ";

    public string Format(string line) => Console.IsOutputRedirected ? prefix + AnsiEscape().Replace(line, "") : prefix + line;

    // Children are asked for colours (DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION, as Aspire does); a log file wants none.
    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
