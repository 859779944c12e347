using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Orders.Tests.Api.BadInput;

/// <summary>Well-formed messages whose values break the contract's limits (Orders:Validation defaults), and oversize messages.</summary>
public static partial class BadInputTable
{
    public const string FieldValuesCategory = "Invalid field values";
    public const string OversizeCategory = "Oversize message";

    private static IEnumerable<BadInputCase> InvalidFieldValues()
    {
        (string Name, Order Order, string Message)[] orders =
        [
            ("no items", new Order { Price = 1 }, "items: An order needs at least one item."),
            ("an empty item", new Order { Items = { "" }, Price = 1 }, "items[0]: An item must not be empty."),
            ("a blank item", new Order { Items = { "   " }, Price = 1 }, "items[0]: An item must not be empty."),
            ("an over-long item", new Order { Items = { new string('i', 201) }, Price = 1 }, "items[0]: At most 200 characters (got 201)."),
            ("too many items", new Order { Items = { Enumerable.Repeat("Item", 101) }, Price = 1 }, "items: At most 100 items per order (got 101)."),
            ("a negative price", new Order { Items = { "A" }, Price = -0.01f }, "price: The price must not be negative."),
            ("a NaN price", new Order { Items = { "A" }, Price = float.NaN }, "price: The price must be a finite number."),
            ("an infinite price", new Order { Items = { "A" }, Price = float.PositiveInfinity }, "price: The price must be a finite number."),
            ("a negative infinite price", new Order { Items = { "A" }, Price = float.NegativeInfinity }, "price: The price must be a finite number."),
            ("an over-long description", new Order { Items = { "A" }, Price = 1, Description = new string('d', 2001) }, "description: At most 2000 characters (got 2001)."),
            ("an over-long destination", new Order { Items = { "A" }, Price = 1, Destination = new string('x', 201) }, "destination: At most 200 characters (got 201)."),
            ("eleven problems", new Order { Items = { Enumerable.Repeat("", 11) }, Price = 1 }, "Invalid order (11 field violations, the first 10 listed)."),
        ];
        foreach (var (name, order, message) in orders)
        {
            yield return new BadInputCase(FieldValuesCategory, $"addOrder: {name}", "addOrder",
                Call((client, headers) => client.addOrderAsync(order, headers).ResponseAsync), StatusCode.InvalidArgument, message);
        }

        (string Name, string Id, string Message)[] ids =
        [
            ("an empty id", "", "id: An order id is required."),
            ("a blank id", " \t ", "id: An order id is required."),
            ("an over-long id", new string('7', 65), "id: At most 64 characters (got 65)."),
        ];
        foreach (var (name, id, message) in ids)
        {
            yield return new BadInputCase(FieldValuesCategory, $"getOrder: {name}", "getOrder",
                Call((client, headers) => client.getOrderAsync(new StringValue { Value = id }, headers).ResponseAsync), StatusCode.InvalidArgument, message);
            yield return new BadInputCase(FieldValuesCategory, $"deleteOrder: {name}", "deleteOrder",
                Call((client, headers) => client.deleteOrderAsync(new StringValue { Value = id }, headers).ResponseAsync), StatusCode.InvalidArgument, message);
            yield return new BadInputCase(FieldValuesCategory, $"processOrders: {name} after a sound id", "processOrders",
                Call((client, headers) => ProcessOrders(client, headers, "101", id)), StatusCode.InvalidArgument, message);
        }

        yield return new BadInputCase(FieldValuesCategory, "searchOrders: an over-long query", "searchOrders",
            Call((client, headers) => SearchOrders(client, headers, new string('q', 201))), StatusCode.InvalidArgument, "query: At most 200 characters (got 201).");

        yield return new BadInputCase(FieldValuesCategory, "updateOrders: an order without an id", "updateOrders",
            Call((client, headers) => UpdateOrders(client, headers, [ValidOrder("kept-out-1"), ValidOrder()])), StatusCode.InvalidArgument,
            "orders[1].id: An order id is required.", NotStored: ["kept-out-1"]);
        yield return new BadInputCase(FieldValuesCategory, "updateOrders: a negative price in the third order", "updateOrders",
            Call((client, headers) => UpdateOrders(client, headers, [ValidOrder("kept-out-2"), ValidOrder("kept-out-3"), new Order { Id = "kept-out-4", Items = { "A" }, Price = -1 }])),
            StatusCode.InvalidArgument, "orders[2].price: The price must not be negative.", NotStored: ["kept-out-2", "kept-out-3", "kept-out-4"]);
        yield return new BadInputCase(FieldValuesCategory, "updateOrders: more orders than one call takes", "updateOrders",
            Call((client, headers) => UpdateOrders(client, headers, Enumerable.Range(0, 1001).Select(i => ValidOrder($"kept-out-many-{i}")))),
            StatusCode.InvalidArgument, "orders: At most 1000 orders per call.", NotStored: ["kept-out-many-0", "kept-out-many-999"]);
    }

    private static IEnumerable<BadInputCase> OversizeMessages()
    {
        var huge = new string('h', Limit);
        yield return new BadInputCase(OversizeCategory, "addOrder: a description over the message size limit", "addOrder",
            Call((client, headers) => client.addOrderAsync(new Order { Items = { "A" }, Price = 1, Description = huge }, headers).ResponseAsync),
            StatusCode.ResourceExhausted, $"at most {Limit} are accepted.");
        yield return new BadInputCase(OversizeCategory, "getOrder: an id over the message size limit", "getOrder",
            Call((client, headers) => client.getOrderAsync(new StringValue { Value = huge }, headers).ResponseAsync),
            StatusCode.ResourceExhausted, $"at most {Limit} are accepted.");
        yield return new BadInputCase(OversizeCategory, "updateOrders: an order over the message size limit after a sound one", "updateOrders",
            Call((client, headers) => UpdateOrders(client, headers, [ValidOrder("kept-out-5"), new Order { Id = "kept-out-6", Items = { huge }, Price = 1 }])),
            StatusCode.ResourceExhausted, $"at most {Limit} are accepted.", NotStored: ["kept-out-5", "kept-out-6"]);
    }
}
