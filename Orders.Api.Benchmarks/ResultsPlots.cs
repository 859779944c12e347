using ScottPlot;

namespace Orders.Api.Benchmarks;

/// <summary>Bar charts of the ratios to bare (PNG, ScottPlot): getOrder per configuration, and the store measures per store.</summary>
internal static class ResultsPlots
{
    public const string GetOrderFile = "side-by-side.png";
    public const string StoresFile = "stores.png";

    public static void GetOrder(ResultTable getOrder, string path)
    {
        var plot = new Plot();
        var rows = getOrder.Rows.Reverse().ToArray();
        var bars = plot.Add.Bars(rows.Select((row, i) => new Bar
        {
            Position = i,
            Value = getOrder.RatioToBare(row),
            Label = getOrder.RatioText(row),
            FillColor = row.Target is { Met: false } ? Colors.IndianRed : Colors.SteelBlue,
        }).ToArray());
        bars.Horizontal = true;
        plot.Axes.Left.SetTicks([.. rows.Select((_, i) => (double)i)], [.. rows.Select(row => row.Server)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        foreach (var (target, label) in new[] { (0.8, "0.8× as shipped"), (0.5, "0.5× exporting") })
        {
            var line = plot.Add.VerticalLine(target, 1, Colors.Gray, LinePattern.Dashed);
            line.Text = label;
        }

        plot.Axes.Margins(left: 0);
        plot.Title("getOrder calls/s as a ratio to bare grpc-dotnet (red: target not met)");
        plot.XLabel("ratio to bare (median of the rounds)");
        plot.SavePng(path, 1400, 600);
    }

    public static void Stores(IReadOnlyList<ResultTable> tables, string path)
    {
        var plot = new Plot();
        var servers = tables[0].Rows.Skip(1).Select(row => row.Server).ToArray();
        Color[] palette = [Colors.SteelBlue, Colors.DarkOrange];
        for (var s = 0; s < servers.Length; s++)
        {
            var bars = plot.Add.Bars(tables.Select((table, m) => new Bar
            {
                Position = (m * (servers.Length + 1)) + s,
                Value = table.RatioToBare(table.Rows[s + 1]),
                Label = table.RatioText(table.Rows[s + 1]),
                FillColor = palette[s % palette.Length],
            }).ToArray());
            bars.LegendText = servers[s];
        }

        plot.Axes.Bottom.SetTicks([.. tables.Select((_, m) => (m * (servers.Length + 1)) + ((servers.Length - 1) / 2.0))], [.. tables.Select(t => t.Measure)]);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("Store measures as a ratio to bare grpc-dotnet (orders in a dictionary)");
        plot.YLabel("ratio to bare (median of the rounds)");
        plot.SavePng(path, 1000, 500);
    }
}
