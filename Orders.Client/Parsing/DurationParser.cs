using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Orders.Client.Parsing;

/// <summary>Parses durations written the way people type them: <c>250ms</c>, <c>5s</c>, <c>1.5m</c>, <c>1h</c> (or a TimeSpan like <c>00:00:05</c>).</summary>
public static class DurationParser
{
    private static readonly (string Suffix, double Milliseconds)[] Units =
    [
        ("ms", 1),
        ("s", 1_000),
        ("m", 60_000),
        ("h", 3_600_000),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        foreach (var (suffix, milliseconds) in Units)
        {
            // "ms" is listed before "s"/"m", so "250ms" never reads as 250 m + "s".
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return TryCreate(amount * milliseconds, out duration);
            }
        }

        // A bare number has no unit: TimeSpan would read "5" as five days.
        return text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)
            && TryCreate(span.TotalMilliseconds, out duration);
    }

    public static TimeSpan Parse(string text, string what) =>
        TryParse(text, out var duration) ? duration : ThrowInvalid(text, what);

    public static string Describe(TimeSpan duration) => duration switch
    {
        { TotalMilliseconds: < 1_000 } => $"{duration.TotalMilliseconds:0.#}ms",
        { TotalSeconds: < 60 } => $"{duration.TotalSeconds:0.###}s",
        _ => $"{duration.TotalMinutes:0.###}m",
    };

    private static bool TryCreate(double milliseconds, out TimeSpan duration)
    {
        // A zero or absurd duration is a typo, not a request for an already-expired deadline.
        var valid = milliseconds > 0 && milliseconds <= TimeSpan.FromDays(1).TotalMilliseconds;
        duration = valid ? TimeSpan.FromMilliseconds(milliseconds) : default;
        return valid;
    }

    [DoesNotReturn]
    private static TimeSpan ThrowInvalid(string text, string what) =>
        throw new FormatException($"{what}: '{text}' is not a duration (use e.g. 250ms, 5s, 1m, 1h).");
}
