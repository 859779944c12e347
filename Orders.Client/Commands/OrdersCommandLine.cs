using System.CommandLine;

namespace Orders.Client.Commands;

/// <summary>The client's command line: global options, the commands, and exit status 2 for usage errors.</summary>
public sealed class OrdersCommandLine
{
    private readonly CommandRunner runner;
    private readonly TextWriter stdout;
    private readonly TextWriter stderr;

    public OrdersCommandLine(TextWriter stdout, TextWriter stderr)
    {
        this.stdout = stdout;
        this.stderr = stderr;
        var global = new GlobalOptions();
        runner = new CommandRunner(global, stdout, stderr);
        var scenario = ScenarioCommand.Create(runner, out var makeDefaultOf);
        Root = new RootCommand("Client runner and CLI for the ecommerce.OrderManagement gRPC service (Orders.Api).")
        {
            scenario,
            OrderCommands.Get(runner),
            OrderCommands.Add(runner),
            OrderCommands.Search(runner),
            StreamingCommands.Update(runner),
            StreamingCommands.Process(runner),
            OrderCommands.Delete(runner),
        };
        global.AddTo(Root);
        makeDefaultOf(Root);
    }

    public RootCommand Root { get; }

    public static Task<int> RunAsync(string[] args) => new OrdersCommandLine(Console.Out, Console.Error).InvokeAsync(args);

    public async Task<int> InvokeAsync(string[] args)
    {
        var parse = Root.Parse(args);
        if (parse.Errors.Count == 0)
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // A graceful stop finishes the current call and flushes telemetry; System.CommandLine's 2 s default can cut that short.
                ProcessTerminationTimeout = TimeSpan.FromSeconds(10),
            });
        }

        // System.CommandLine would exit 1; a usage error is 2 here, as in most Unix tools.
        var output = runner.CreateOutput(parse);
        foreach (var error in parse.Errors)
        {
            output.UsageError(error.Message);
        }

        await stderr.WriteLineAsync($"Run '{Root.Name} --help' for usage.");
        return ExitCodes.Usage;
    }
}
