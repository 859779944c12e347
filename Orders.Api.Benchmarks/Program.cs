using Orders.Api.Benchmarks;

// The benchmark harness (benchmarks/run.sh): the bare grpc-dotnet server, Orders.Api in each configuration and the Python
// contract server side by side in one run — getOrder through h2load, then the store measures — in interleaved rounds.
// Options: HarnessOptions. Bounded: every measure stops at its window's end; loopback only; every process it starts, it stops.
var options = HarnessOptions.Parse(args);
var loadAverage = Statistics.LoadAverage();

var getOrder = await GetOrderSideBySide.RunAsync(options);
var stores = await StoreMeasures.RunAsync(options);
ResultTable[] tables = [getOrder, .. stores];

foreach (var line in ResultsReport.Lines(options, loadAverage, tables, plots: []))
{
    Console.WriteLine(line);
}

if (options.ResultsDirectory is { } results)
{
    Directory.CreateDirectory(results);
    ResultsPlots.GetOrder(getOrder, Path.Combine(results, ResultsPlots.GetOrderFile));
    ResultsPlots.Stores(stores, Path.Combine(results, ResultsPlots.StoresFile));
    await File.WriteAllLinesAsync(Path.Combine(results, ResultsReport.FileName),
        ResultsReport.Lines(options, loadAverage, tables, [ResultsPlots.GetOrderFile, ResultsPlots.StoresFile]));
}
