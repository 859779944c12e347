using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orders.Client.Calls;
using static Orders.Tests.Infrastructure.RawGrpcFrames;

namespace Orders.Tests.Api.BadInput;

/// <summary>
/// Strings no store keeps: a NUL (U+0000, which PostgreSQL's text rejects) in every string field of every RPC, and a
/// lone surrogate, which cannot even arrive. <c>PostgresBadInputTests</c> runs these rows against PostgreSQL too.
/// </summary>
public static partial class BadInputTable
{
    public const string NulCategory = "A NUL character in a string";

    private const string NulAtIndex4 = "Must not contain a NUL character (U+0000); found at index 4.";

    private static IEnumerable<BadInputCase> NulCharacters()
    {
        (string Name, string Field, Order Order)[] newOrders =
        [
            ("an item", "items[0]", new Order { Items = { "Item\0A" }, Price = 1 }),
            ("the description", "description", new Order { Items = { "A" }, Price = 1, Description = "Desc\0ription" }),
            ("the destination", "destination", new Order { Items = { "A" }, Price = 1, Destination = "City\0, CA" }),
        ];
        foreach (var (name, field, order) in newOrders)
        {
            yield return new BadInputCase(NulCategory, $"addOrder: a NUL in {name}", "addOrder",
                Call((client, headers) => client.addOrderAsync(order, headers).ResponseAsync), StatusCode.InvalidArgument, $"{field}: {NulAtIndex4}");
        }

        const string nulId = "1010\0";
        yield return new BadInputCase(NulCategory, "getOrder: a NUL in the id", "getOrder",
            Call((client, headers) => client.getOrderAsync(new StringValue { Value = nulId }, headers).ResponseAsync), StatusCode.InvalidArgument, $"id: {NulAtIndex4}");
        yield return new BadInputCase(NulCategory, "deleteOrder: a NUL in the id", "deleteOrder",
            Call((client, headers) => client.deleteOrderAsync(new StringValue { Value = nulId }, headers).ResponseAsync), StatusCode.InvalidArgument, $"id: {NulAtIndex4}");
        yield return new BadInputCase(NulCategory, "searchOrders: a NUL in the query", "searchOrders",
            Call((client, headers) => SearchOrders(client, headers, "Item\0")), StatusCode.InvalidArgument, $"query: {NulAtIndex4}");

        // An id no order can have is processOrders' unknown id: answered in-band, and the ids after it still ship.
        yield return new BadInputCase(NulCategory, "processOrders: a NUL in an id between sound ones", "processOrders",
            Shipments("101", nulId, "102"), StatusCode.OK, "NOT_FOUND [1010\0]; PROCESSED [101 102]");

        (string Name, string Field, Order Order)[] updates =
        [
            ("the id", "id", new Order { Id = "kept\0-out-nul-1", Items = { "A" }, Price = 1 }),
            ("an item", "items[1]", new Order { Id = "kept-out-nul-2", Items = { "A", "Item\0B" }, Price = 1 }),
            ("the description", "description", new Order { Id = "kept-out-nul-3", Items = { "A" }, Price = 1, Description = "Desc\0ription" }),
            ("the destination", "destination", new Order { Id = "kept-out-nul-4", Items = { "A" }, Price = 1, Destination = "City\0, CA" }),
        ];
        foreach (var (name, field, order) in updates)
        {
            var sound = ValidOrder($"kept-out-before-nul-{field}");
            yield return new BadInputCase(NulCategory, $"updateOrders: a NUL in {name} of the second order", "updateOrders",
                Call((client, headers) => UpdateOrders(client, headers, [sound, order])), StatusCode.InvalidArgument, $"orders[1].{field}: {NulAtIndex4}",
                NotStored: field == "id" ? [sound.Id] : [sound.Id, order.Id]);
        }

        // protobuf refuses a surrogate code point encoded in UTF-8 (ED A0 80 is U+D800), so no string can carry a lone one.
        yield return new BadInputCase(NulCategory, "getOrder: a UTF-8-encoded lone surrogate in the id", "getOrder",
            Raw("getOrder", Frame([0x0A, 0x03, 0xED, 0xA0, 0x80])), StatusCode.InvalidArgument,
            "could not be parsed as google.protobuf.StringValue: String is invalid UTF-8.");
    }

    /// <summary>processOrders with <paramref name="ids"/>; the outcome's answers are the shipments, "STATUS [ids]" in arrival order.</summary>
    private static Func<BadInputServer, string, Task<CallOutcome>> Shipments(params string[] ids) =>
        async (server, requestId) =>
        {
            var shipments = new List<string>();
            var outcome = await Call((client, headers) => client.ProcessAsync(
                ids, new CallOptions(headers), cancelAfter: null, keepRequestStreamOpen: false,
                onShipment: shipment => shipments.Add($"{shipment.Status} [{string.Join(' ', shipment.OrdersList.Select(order => order.Id))}]")))(server, requestId);
            return outcome with { Answers = string.Join("; ", shipments) };
        };
}
