using System.Globalization;

namespace Orders.Client.Parsing;

/// <summary>When <c>process --cancel-after</c> cancels the call: after a number of shipments, or after a duration.</summary>
public sealed record CancelAfter(int? Shipments, TimeSpan? Duration)
{
    public static bool TryParse(string text, out CancelAfter? cancelAfter)
    {
        cancelAfter = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var shipments) && shipments > 0
            ? new CancelAfter(shipments, null)
            : DurationParser.TryParse(text, out var duration) ? new CancelAfter(null, duration) : null;
        return cancelAfter is not null;
    }

    public override string ToString() =>
        Shipments is { } count ? $"{count} shipment(s)" : DurationParser.Describe(Duration.GetValueOrDefault());
}
