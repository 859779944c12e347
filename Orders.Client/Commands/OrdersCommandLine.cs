using System.CommandLine;
using System.CommandLine.Help;
using OrdersAspire.Shared;

namespace Orders.Client.Commands;

/// <summary>The client's command line: global options, the commands, and exit status 2 for usage errors.</summary>
public sealed class OrdersCommandLine
{
    private readonly CommandRunner runner;
    private readonly TextWriter stdout;
    private readonly TextWriter stderr;

    /// <param name="contentRoot">Where appsettings.json is read from: the client's own folder unless a host of it says otherwise.</param>
    public OrdersCommandLine(TextWriter stdout, TextWriter stderr, string? contentRoot = null)
    {
        this.stdout = stdout;
        this.stderr = stderr;
        var global = new GlobalOptions();
        runner = new CommandRunner(global, stdout, stderr, contentRoot ?? AppContext.BaseDirectory);
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

    /// <summary>
    /// Root help with each command listed as its own usage line shows it (<c>search [&lt;query&gt;]</c>, <c>process &lt;id&gt;...</c>):
    /// System.CommandLine's command list drops the optional and repeatable marks, and offers no public way to label a row.
    /// </summary>
    private async Task<int> WriteRootHelpAsync(ParseResult parse)
    {
        using var help = new StringWriter();
        var exitCode = await parse.InvokeAsync(new InvocationConfiguration { Output = help, Error = stderr });
        var lines = help.ToString().Split(Environment.NewLine).Select(line =>
        {
            foreach (var command in Root.Subcommands)
            {
                var listed = string.Join(' ', [command.Name, .. command.Arguments.Select(a => $"<{a.HelpName ?? a.Name}>")]);
                var usage = string.Join(' ', [command.Name, .. command.Arguments.Select(UsageLabel)]);
                if (usage != listed && line.StartsWith($"  {listed}  ", StringComparison.Ordinal))
                {
                    // Keep the description column where it was, unless the longer label needs the room.
                    var description = line[(2 + listed.Length)..].TrimStart();
                    var column = line.Length - description.Length;
                    return $"  {usage}".PadRight(Math.Max(column, 4 + usage.Length)) + description;
                }
            }

            return line;
        });
        await stdout.WriteAsync(string.Join(Environment.NewLine, lines));
        return exitCode;
    }

    private static string UsageLabel(Argument argument)
    {
        var label = argument.Arity.MaximumNumberOfValues > 1 ? $"<{argument.Name}>..." : $"<{argument.Name}>";
        return argument.Arity.MinimumNumberOfValues == 0 ? $"[{label}]" : label;
    }

    public async Task<int> InvokeAsync(string[] args)
    {
        var parse = Root.Parse(args);
        if (parse.Errors.Count == 0)
        {
            if (parse.Action is HelpAction && parse.CommandResult.Command == Root)
            {
                return await WriteRootHelpAsync(parse);
            }

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
        if (args.Contains(ScenarioCommand.LoopOptionName) && parse.CommandResult.Command is { } command && command != Root && command.Name != ScenarioCommand.Name)
        {
            output.UsageError($"{ScenarioCommand.LoopOptionName} repeats the scenario only ({ScenarioCommand.Name} {ScenarioCommand.LoopOptionName} 5s); {command.Name} runs once.");
        }

        foreach (var error in parse.Errors)
        {
            output.UsageError(error.Message);
        }

        await stderr.WriteLineAsync($"Run '{Root.Name} --help' for usage.");
        return ExitCodes.Usage;
    }
}
