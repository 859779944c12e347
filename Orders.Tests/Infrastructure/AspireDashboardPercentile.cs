namespace Orders.Tests.Infrastructure;

/// <summary>
/// How the Aspire dashboard turns an explicit-bucket histogram into the P50/P90/P99 of its metrics page
/// (Aspire.Dashboard ChartBase.CalculatePercentile): the upper bound of the first bucket whose running count reaches
/// p % of the total, no interpolation; past the last bound, the last bound. Exponential histograms it does not chart.
/// </summary>
public static class AspireDashboardPercentile
{
    /// <param name="counts">The bucket counts, the +Inf bucket last (one more than <paramref name="explicitBounds"/>).</param>
    public static double Calculate(int percentile, ulong[] counts, double[] explicitBounds)
    {
        var totalCount = 0ul;
        foreach (var count in counts)
        {
            totalCount += count;
        }

        var targetCount = percentile / 100.0 * totalCount;
        var accumulatedCount = 0ul;
        for (var i = 0; i < explicitBounds.Length; i++)
        {
            accumulatedCount += counts[i];
            if (accumulatedCount >= targetCount)
            {
                return explicitBounds[i];
            }
        }

        return explicitBounds[^1];
    }
}
