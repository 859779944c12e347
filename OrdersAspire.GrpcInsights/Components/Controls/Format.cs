using System.Globalization;

namespace OrdersAspire.GrpcInsights.Components.Controls;

/// <summary>Display formats shared by the pages.</summary>
public static class Format
{
    public static string Duration(TimeSpan duration) => Milliseconds(duration.TotalMilliseconds);

    public static string Milliseconds(double? ms) => ms switch
    {
        null => "—",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{ms * 1000:0} µs"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.##} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.###} s"),
    };

    public static string Time(DateTime utc) => utc.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string ShortId(string id) => id.Length > 7 ? id[..7] : id;

    /// <summary>A stable colour per service so its spans look alike across the waterfall.</summary>
    public static string ServiceColor(string service)
    {
        string[] palette = ["#0f6cbd", "#8764b8", "#107c10", "#ca5010", "#038387", "#c239b3", "#986f0b", "#4f6bed"];
        var hash = 0;
        foreach (var c in service)
        {
            hash = unchecked((hash * 31) + c);
        }

        return palette[(hash & int.MaxValue) % palette.Length];
    }

    public static string Percent(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + "%";
}
