using System.Globalization;

namespace Orders.Client.Parsing;

/// <summary>When <c>process --cancel-after</c> cancels the call: after a number of shipments, or after a duration.</summary>
public sealed record CancelAfter(int? Shipments, TimeSpan? Duration)
{
    public static bool TryParse(string text, out CancelAfter? cancelAfter) => Check(text, out cancelAfter) is null;

    /// <summary>Null when <paramref name="text"/> is a usable count or duration; otherwise why not, as a sentence.</summary>
    public static string? Check(string text, out CancelAfter? cancelAfter)
    {
        cancelAfter = null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var shipments))
        {
            if (shipments == 0)
            {
                return "0 would cancel before anything is sent; give a shipment count of 1 or more or a duration such as 500ms.";
            }

            cancelAfter = new CancelAfter(shipments, null);
            return null;
        }

        if (DurationParser.Check(text, out var duration) is { } problem)
        {
            // A duration with a problem of its own (zero, over a day) says so; anything else is neither.
            return problem == DurationParser.NotADuration
                ? $"'{text}' is neither a shipment count nor a duration (e.g. 2 or 500ms)."
                : $"'{text}' {problem}.";
        }

        cancelAfter = new CancelAfter(null, duration);
        return null;
    }

    public override string ToString() =>
        Shipments is { } count ? $"{count} shipment(s)" : DurationParser.Describe(Duration.GetValueOrDefault());
}
