using System.CommandLine;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Orders.Client.Calls;

namespace Orders.Client.Commands;

/// <summary>The one-RPC commands: get, add, search, delete.</summary>
internal static class OrderCommands
{
    public static Command Get(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "Order id" };
        var command = new Command("get", "Fetch one order (unary getOrder)") { id };
        runner.SetRpcAction(command, async (parse, context) =>
            context.Output.Order(await context.Client.getOrderAsync(new StringValue { Value = parse.GetRequiredValue(id) }, context.CallOptions())));
        return command;
    }

    public static Command Add(CommandRunner runner)
    {
        var items = new Option<string[]>("--item") { Description = "An item of the order (repeatable)", HelpName = "text" };
        var price = new Option<float>("--price") { Description = "Order price (required unless --order)", HelpName = "n", CustomParser = CommandLineParsers.Price };
        var description = new Option<string>("--description") { Description = "Order description", HelpName = "text" };
        var destination = new Option<string>("--destination") { Description = "Shipping destination", HelpName = "text" };
        var whole = new Option<Order?>("--order")
        {
            Description = "The whole order in the contract's JSON, as update reads it, instead of the options above (any field, the id too)",
            HelpName = "json",
            CustomParser = CommandLineParsers.OrderJson,
        };
        var command = new Command("add", "Add an order (unary addOrder); the server assigns the id") { items, price, description, destination, whole };
        command.Validators.Add(result =>
        {
            var fields = new System.CommandLine.Option[] { items, price, description, destination }.Where(option => result.GetResult(option) is not null).ToList();
            if (result.GetResult(whole) is not null && fields.Count > 0)
            {
                result.AddError($"add: --order is the whole order; leave out {string.Join(", ", fields.Select(option => option.Name))}.");
            }
            else if (result.GetResult(whole) is null && result.GetResult(price) is null)
            {
                result.AddError("add: --price is required (or --order with the whole order).");
            }
        });
        runner.SetRpcAction(command, async (parse, context) =>
        {
            var order = parse.GetValue(whole) ?? new Order
            {
                Items = { parse.GetValue(items) ?? [] },
                Price = parse.GetValue(price),
                Description = parse.GetValue(description) ?? "",
                Destination = parse.GetValue(destination) ?? "",
            };
            context.Output.OrderAdded((await context.Client.addOrderAsync(order, context.CallOptions())).Value);
        });
        return command;
    }

    public static Command Search(CommandRunner runner)
    {
        var query = new Argument<string>("query")
        {
            Description = "Text an item must contain (case-sensitive; empty or left out matches all)",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "",
        };
        var command = new Command("search", "Stream every order with a matching item (server-streaming searchOrders)") { query };
        runner.SetRpcAction(command, (parse, context) =>
            context.Client.SearchAsync(parse.GetValue(query) ?? "", context.CallOptions(), context.Output.Order));
        return command;
    }

    public static Command Delete(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "Order id" };
        var command = new Command("delete", "Delete one order (unary deleteOrder)") { id };
        runner.SetRpcAction(command, async (parse, context) =>
        {
            var orderId = parse.GetRequiredValue(id);
            await context.Client.deleteOrderAsync(new StringValue { Value = orderId }, context.CallOptions());
            context.Output.OrderDeleted(orderId);
        });
        return command;
    }
}
