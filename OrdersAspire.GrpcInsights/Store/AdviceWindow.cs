namespace OrdersAspire.GrpcInsights.Store;

/// <summary>How far back the deadline advisor looks: the last 5 minutes, the last hour, or every call the store holds.</summary>
public sealed record AdviceWindow(string Name, string Label, TimeSpan? Length)
{
    public static readonly AdviceWindow FiveMinutes = new("5m", "last 5 minutes", TimeSpan.FromMinutes(5));
    public static readonly AdviceWindow OneHour = new("1h", "last hour", TimeSpan.FromHours(1));
    public static readonly AdviceWindow AllHeld = new("all", "all held", null);

    public static IReadOnlyList<AdviceWindow> All { get; } = [FiveMinutes, OneHour, AllHeld];

    /// <summary>The message for a window name that is none of <see cref="All"/>.</summary>
    public static string Expected { get; } = $"window must be one of {string.Join(", ", All.Select(w => w.Name))}.";

    /// <summary>The window of that name (exact, as the API and the page write it); a missing name is every call held.</summary>
    public static AdviceWindow? Parse(string? name) =>
        string.IsNullOrEmpty(name) ? AllHeld : All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.Ordinal));

    /// <summary>True for a call that started inside the window ending at <paramref name="now"/>.</summary>
    public bool Holds(GrpcCall call, DateTime now) => Length is not { } length || call.Start >= now - length;
}
