using System.Text.RegularExpressions;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// A process's Microsoft console log in its single-line shape (<c>warn: Category[EventId] message</c>), one record per
/// line; lines of any other shape (a stack trace's, another writer's) are records with an empty level.
/// </summary>
public sealed partial record ConsoleRecord(string Level, string Category, int EventId, string Line)
{
    public static IReadOnlyList<ConsoleRecord> Parse(string output) =>
    [
        .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).Select(line =>
            RecordPattern().Match(line) is { Success: true } match
                ? new ConsoleRecord(match.Groups[1].Value, match.Groups[2].Value, int.Parse(match.Groups[3].Value), line)
                : new ConsoleRecord("", "", 0, line)),
    ];

    public bool IsWarningOrWorse => Level is "warn" or "fail" or "crit";

    [GeneratedRegex(@"^(trce|dbug|info|warn|fail|crit): ([^\[ ]+)\[(\d+)\]")]
    private static partial Regex RecordPattern();
}
