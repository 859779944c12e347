using OrdersAspire.Shared;
namespace OrdersAspire.GrpcInsights.Store;

/// <summary>Calls of one method that ended with one status, and the percentiles of the time they used.</summary>
public sealed record GrpcCallCell(string Method, string Status, int Count, double P50Ms, double P95Ms, double P99Ms);

/// <summary>The method × status matrix: how many calls of each method ended with each status, and how long they took.</summary>
public sealed class GrpcCallMatrix
{
    private readonly Dictionary<(string Method, string Status), GrpcCallCell> cells;

    private GrpcCallMatrix(IReadOnlyList<string> methods, IReadOnlyList<string> statuses, Dictionary<(string, string), GrpcCallCell> cells)
    {
        Methods = methods;
        Statuses = statuses;
        this.cells = cells;
    }

    public IReadOnlyList<string> Methods { get; }

    /// <summary>The statuses seen, in the order of their gRPC code numbers (OK first).</summary>
    public IReadOnlyList<string> Statuses { get; }

    public GrpcCallCell? Cell(string method, string status) => cells.GetValueOrDefault((method, status));

    public static GrpcCallMatrix From(IReadOnlyList<GrpcCall> calls)
    {
        var cells = calls.GroupBy(c => (c.Method, c.Status)).ToDictionary(g => g.Key, g =>
        {
            var sorted = g.Select(c => c.Used.TotalMilliseconds).Order().ToArray();
            return new GrpcCallCell(g.Key.Method, g.Key.Status, sorted.Length, NearestRank.Percentile(sorted, 0.50), NearestRank.Percentile(sorted, 0.95), NearestRank.Percentile(sorted, 0.99));
        });
        return new GrpcCallMatrix(
            [.. calls.Select(c => c.Method).Distinct().Order(StringComparer.Ordinal)],
            [.. calls.Select(c => c.Status).Distinct().OrderBy(s => GrpcStatusNames.CodeOf(s) ?? int.MaxValue).ThenBy(s => s, StringComparer.Ordinal)],
            cells);
    }
}
