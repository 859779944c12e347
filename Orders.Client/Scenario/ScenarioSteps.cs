using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Orders.Client.Calls;
using Orders.Client.Parsing;
using OrdersAspire.Shared;

namespace Orders.Client.Scenario;

/// <summary>
/// The demo conversation, one step per behaviour of the contract. It leaves the database as the next run needs it:
/// the first step upserts the sample orders (bringing back 101, which a previous run deleted), so
/// <c>scenario --loop</c> passes on every iteration, against a seeded or an empty database.
/// </summary>
public static class ScenarioSteps
{
    /// <summary>Never stored, so processOrders answers it at once with an in-band NOT_FOUND shipment, whatever the batch size.</summary>
    public const string UnknownOrderId = "scenario-unknown-order";

    private static readonly TimeSpan DeadlineStepBudget = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan DeadlineStepDelay = TimeSpan.FromSeconds(2);

    public static IReadOnlyList<ScenarioStep> All { get; } =
    [
        new("prepare: update 101-104 (sample orders)", StatusCode.OK, async context =>
        {
            var reply = await context.Client.UpdateAsync(SampleOrders(destinations: false), context.CallOptions());
            return StepOutcome.Ok(reply);
        }),
        new("get 101", StatusCode.OK, async context =>
        {
            var order = await context.Client.getOrderAsync(new StringValue { Value = "101" }, context.CallOptions());
            return StepOutcome.Ok($"items {string.Join(", ", order.Items)}");
        }),
        new("add an order", StatusCode.OK, async context =>
        {
            var order = new Order { Items = { "Scenario widget", "Scenario gadget" }, Price = 42.5f, Description = "Added by the scenario.", Destination = "Mountain View, CA" };
            var id = await context.Client.addOrderAsync(order, context.CallOptions());
            return StepOutcome.Ok($"id {id.Value}", id.Value.Length > 0);
        }),
        new("search \"Item - A\" (server stream)", StatusCode.OK, async context =>
        {
            var ids = new List<string>();
            await context.Client.SearchAsync("Item - A", context.CallOptions(), order => ids.Add(order.Id));
            return StepOutcome.Ok($"{ids.Count} orders: {string.Join(" ", ids)}", ids.Contains("101") && ids.Contains("103"));
        }),
        new("update 101-103 (client stream)", StatusCode.OK, async context =>
        {
            var reply = await context.Client.UpdateAsync(SampleOrders(destinations: true).Take(3), context.CallOptions());
            return StepOutcome.Ok(reply, reply == "Updated IDs: 101 102 103");
        }),
        new("process, cancelled mid-stream (bidi)", StatusCode.Cancelled, async context =>
        {
            // The request stream stays open, so the server is still in the conversation when the client cancels.
            await context.Client.ProcessAsync(
                ["101", "102", "103", "104", UnknownOrderId], context.CallOptions(), new CancelAfter(1, null), keepRequestStreamOpen: true, _ => { });
            return StepOutcome.Ok("the stream ended before the client cancelled it");
        }),
        new("delete 101", StatusCode.OK, async context =>
        {
            await context.Client.deleteOrderAsync(new StringValue { Value = "101" }, context.CallOptions());
            return StepOutcome.Ok("deleted");
        }),
        new("get 101 after delete", StatusCode.NotFound, async context =>
        {
            var order = await context.Client.getOrderAsync(new StringValue { Value = "101" }, context.CallOptions());
            return StepOutcome.Ok($"still there: {order.Id}");
        }),
        new("get 102, delayed past its deadline", StatusCode.DeadlineExceeded, async context =>
        {
            var delay = new Metadata.Entry(OrdersHeaders.DelayMs, DeadlineStepDelay.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await context.Client.getOrderAsync(new StringValue { Value = "102" }, context.CallOptions(DeadlineStepBudget, delay));
            return StepOutcome.Ok("answered despite the delay (is Orders:FaultInjection:Enabled on?)");
        }),
        new("add with invalid fields", StatusCode.InvalidArgument, async context =>
        {
            var id = await context.Client.addOrderAsync(new Order { Price = -1 }, context.CallOptions());
            return StepOutcome.Ok($"accepted as {id.Value}", false);
        })
        {
            OnError = ex =>
            {
                var violations = ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
                return new StepOutcome(ex.StatusCode, $"field violations: {string.Join(", ", violations)}", violations.Count > 0);
            },
        },
    ];

    /// <summary>The contract's example destinations: 101 and 103 ship together, 102 and 104 together.</summary>
    private static readonly string[] ExampleDestinations = ["Mountain View, CA", "San Jose, CA", "Mountain View, CA", "San Jose, CA"];

    private static IEnumerable<Order> SampleOrders(bool destinations) =>
        OrdersAspire.Shared.SampleOrders.All.Select((sample, index) =>
        {
            var order = sample.Clone();
            order.Destination = destinations ? ExampleDestinations[index] : "";
            return order;
        });
}
