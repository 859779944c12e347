using System.Globalization;
using System.Text.RegularExpressions;

namespace Orders.Tests.Infrastructure;

/// <summary>The one console log line Orders.Api writes for a call at its default level: how it ended.</summary>
public sealed partial record ServerCallLines(string Ended)
{
    /// <summary>The deadline the server received with the call (ms left when it started), or null for none.</summary>
    public double? DeadlineMs => DeadlinePattern().Match(Ended) is { Success: true } match
        ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
        : null;

    /// <summary>How long the server was in the call, first to last message.</summary>
    public double ElapsedMs => double.Parse(ElapsedPattern().Match(Ended).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("deadline remaining ([0-9.]+) ms")]
    private static partial Regex DeadlinePattern();

    [GeneratedRegex(" after ([0-9.]+) ms[;,:]")]
    private static partial Regex ElapsedPattern();
}
