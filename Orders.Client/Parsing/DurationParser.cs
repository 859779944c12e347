using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Orders.Client.Parsing;

/// <summary>Parses durations written the way people type them: <c>250ms</c>, <c>5s</c>, <c>1.5m</c>, <c>1h</c> (or a TimeSpan like <c>00:00:05</c>).</summary>
internal static class DurationParser
{
    private static readonly double MaxMilliseconds = TimeSpan.FromDays(1).TotalMilliseconds;

    private static readonly (string Suffix, double Milliseconds)[] Units =
    [
        ("ms", 1),
        ("s", 1_000),
        ("m", 60_000),
        ("h", 3_600_000),
    ];

    /// <summary>What <see cref="Check"/> says of text that is no duration at all (rather than one out of range).</summary>
    public const string NotADuration = "is not a duration (use e.g. 250ms, 5s, 1m, 1h)";

    public static bool TryParse(string? text, out TimeSpan duration) => Check(text, out duration) is null;

    /// <summary>Null when <paramref name="text"/> is a usable duration; otherwise why not, to follow the value in a message.</summary>
    public static string? Check(string? text, out TimeSpan duration)
    {
        duration = default;
        if (!TryReadMilliseconds(text, out var milliseconds))
        {
            return NotADuration;
        }

        // A zero or absurd duration is a typo, not a request for an already-expired deadline.
        if (milliseconds <= 0)
        {
            return "must be longer than zero";
        }

        if (milliseconds > MaxMilliseconds)
        {
            return "must be at most a day (24h)";
        }

        duration = TimeSpan.FromMilliseconds(milliseconds);
        return null;
    }

    public static TimeSpan Parse(string text, string what) =>
        Check(text, out var duration) is { } problem ? ThrowInvalid(text, what, problem) : duration;

    public static string Describe(TimeSpan duration) => duration switch
    {
        { TotalMilliseconds: < 1_000 } => $"{duration.TotalMilliseconds:0.#}ms",
        { TotalSeconds: < 60 } => $"{duration.TotalSeconds:0.###}s",
        _ => $"{duration.TotalMinutes:0.###}m",
    };

    private static bool TryReadMilliseconds(string? text, out double milliseconds)
    {
        milliseconds = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        foreach (var (suffix, unit) in Units)
        {
            // "ms" is listed before "s"/"m", so "250ms" never reads as 250 m + "s".
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                milliseconds = amount * unit;
                return true;
            }
        }

        // A bare number has no unit: TimeSpan would read "5" as five days.
        if (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            milliseconds = span.TotalMilliseconds;
            return true;
        }

        return false;
    }

    [DoesNotReturn]
    private static TimeSpan ThrowInvalid(string text, string what, string problem) =>
        throw new FormatException($"{what}: '{text}' {problem}.");
}
