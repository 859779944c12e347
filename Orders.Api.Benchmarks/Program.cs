using Orders.Api.Benchmarks;

// The benchmark harness (benchmarks/run.sh): the bare grpc-dotnet server, its template peer, Orders.Api in each configuration and the Python
// contract server side by side in one run — getOrder through h2load, then the store measures — in interleaved rounds.
// Options: HarnessOptions. Bounded: every measure stops at its window's end; loopback only; every process it starts, it stops.
var options = HarnessOptions.Parse(args);
var loadAverage = Statistics.LoadAverage();
// Read before this run replaces it.
var previous = PreviousResults.Read(options.PreviousResults);

var getOrder = await GetOrderSideBySide.RunAsync(options);
var stores = await StoreMeasures.RunAsync(options, previous);
ResultTable[] tables = [getOrder, .. stores];

foreach (var line in ResultsReport.Lines(options, loadAverage, previous, tables, plots: []))
{
    Console.WriteLine(line);
}

if (options.ResultsDirectory is { } results)
{
    Directory.CreateDirectory(results);
    ResultsPlots.GetOrder(getOrder, Path.Combine(results, ResultsPlots.GetOrderFile));
    ResultsPlots.Stores(stores, Path.Combine(results, ResultsPlots.StoresFile));
    await File.WriteAllLinesAsync(Path.Combine(results, ResultsReport.FileName),
        ResultsReport.Lines(options, loadAverage, previous, tables, [ResultsPlots.GetOrderFile, ResultsPlots.StoresFile]));
}
