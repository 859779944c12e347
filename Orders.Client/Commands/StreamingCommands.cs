using System.CommandLine;
using Orders.Client.Calls;
using Orders.Client.Parsing;

namespace Orders.Client.Commands;

/// <summary>The client-streaming and duplex commands: update, process.</summary>
internal static class StreamingCommands
{
    public static Command Update(CommandRunner runner)
    {
        // Named as the help shows it, so the usage line and the command list read the same.
        var file = new Argument<string>("file.json | -") { Description = "A JSON array of orders, or one order object; - reads stdin" };
        var command = new Command("update", "Upsert orders, streamed one by one (client-streaming updateOrders)") { file };
        runner.SetRpcAction(command, async (parse, context) =>
        {
            // Read and validated before the call starts: a bad file is a usage error, never half an update.
            var orders = await OrdersJsonFile.ReadAsync(parse.GetRequiredValue(file), Console.In, context.CancellationToken);
            context.Output.OrdersUpdated(await context.Client.UpdateAsync(orders, context.CallOptions()));
        });
        return command;
    }

    public static Command Process(CommandRunner runner)
    {
        var ids = new Argument<string[]>("id") { Description = "Order ids to process", Arity = ArgumentArity.OneOrMore };
        var cancelAfter = new Option<CancelAfter?>("--cancel-after")
        {
            Description = "Cancel the call from the client after n shipments or a duration (e.g. 2, 500ms); ends CANCELLED",
            HelpName = "n | duration",
            CustomParser = CommandLineParsers.CancelAfter,
        };
        var command = new Command("process", "Stream order ids, receive combined shipments (duplex processOrders)") { ids, cancelAfter };
        runner.SetRpcAction(command, (parse, context) => context.Client.ProcessAsync(
            parse.GetRequiredValue(ids),
            context.CallOptions(),
            parse.GetValue(cancelAfter),
            keepRequestStreamOpen: false,
            context.Output.Shipment));
        return command;
    }
}
