using ScottPlot;

namespace Orders.Api.Benchmarks;

/// <summary>
/// Bar charts of the ratios (PNG, ScottPlot): getOrder per configuration to bare and to the template peer, and the store
/// measures per server to bare.
/// </summary>
internal static class ResultsPlots
{
    public const string GetOrderFile = "side-by-side.png";
    public const string StoresFile = "stores.png";

    public static void GetOrder(ResultTable getOrder, string path)
    {
        var plot = new Plot();
        var rows = getOrder.Rows.Reverse().ToArray();
        // Two bars a row, a gap between rows: to bare (targets colour it), then to the peer.
        (Func<ResultRow, double> Ratio, Func<ResultRow, Color> Fill, double Offset)[] series =
        [
            (getOrder.RatioToBare, row => row.Target is { Met: false } ? Colors.IndianRed : Colors.SteelBlue, 0.2),
            (getOrder.RatioToPeer, _ => Colors.DarkOrange, -0.2),
        ];
        foreach (var (ratio, fill, offset) in series)
        {
            var bars = plot.Add.Bars(rows.Select((row, i) => new Bar
            {
                Position = (i * 1.2) + offset,
                Value = ratio(row),
                Label = ResultTable.RatioText(ratio(row)),
                FillColor = fill(row),
                Size = 0.4,
            }).ToArray());
            bars.Horizontal = true;
        }

        plot.Axes.Left.SetTicks([.. rows.Select((_, i) => i * 1.2)], [.. rows.Select(row => row.Server)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        foreach (var target in (double[])[0.5, 0.8])
        {
            var line = plot.Add.VerticalLine(target, 1, Colors.Gray, LinePattern.Dashed);
            line.Text = $"{target:0.0}×";
        }

        plot.Axes.Margins(left: 0);
        plot.ShowLegend(
        [
            new LegendItem { LabelText = "ratio to bare", FillColor = Colors.SteelBlue },
            new LegendItem { LabelText = "ratio to bare, target not met", FillColor = Colors.IndianRed },
            new LegendItem { LabelText = "ratio to the template peer", FillColor = Colors.DarkOrange },
        ], Alignment.LowerRight);
        plot.Title("getOrder calls/s as a ratio to bare grpc-dotnet and to the Aspire template peer");
        plot.XLabel("ratio (median of the rounds); dashed: the targets to bare, 0.8× as shipped and 0.5× exporting every trace");
        plot.SavePng(path, 1500, 900);
    }

    public static void Stores(IReadOnlyList<ResultTable> tables, string path)
    {
        var plot = new Plot();
        var servers = tables[0].Rows.Skip(1).Select(row => row.Server).ToArray();
        Color[] palette = [Colors.Gray, Colors.SteelBlue, Colors.DarkOrange];
        for (var s = 0; s < servers.Length; s++)
        {
            var bars = plot.Add.Bars(tables.Select((table, m) => new Bar
            {
                Position = (m * (servers.Length + 1)) + s,
                Value = table.RatioToBare(table.Rows[s + 1]),
                Label = ResultTable.RatioText(table.RatioToBare(table.Rows[s + 1])),
                FillColor = palette[s % palette.Length],
            }).ToArray());
            bars.LegendText = servers[s];
        }

        plot.Axes.Bottom.SetTicks([.. tables.Select((_, m) => (m * (servers.Length + 1)) + ((servers.Length - 1) / 2.0))], [.. tables.Select(t => t.Measure)]);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("Store measures as a ratio to bare grpc-dotnet (orders in a dictionary)");
        plot.YLabel("ratio to bare (median of the rounds)");
        plot.SavePng(path, 1100, 500);
    }
}
