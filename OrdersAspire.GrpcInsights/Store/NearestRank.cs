namespace OrdersAspire.GrpcInsights.Store;

/// <summary>The percentile method of every figure the insights show: nearest rank, so each percentile is a time some call really took.</summary>
public static class NearestRank
{
    /// <summary>The smallest value that at least <paramref name="quantile"/> of the values do not exceed; <paramref name="sorted"/> ascending, not empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * quantile) - 1, 0, sorted.Count - 1)];
}
