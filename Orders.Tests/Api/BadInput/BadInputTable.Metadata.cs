using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Orders.Tests.Api.BadInput;

/// <summary>Request metadata past the service's own limits (Orders:Metadata), which Kestrel's limits sit above.</summary>
public static partial class BadInputTable
{
    public const string OversizeMetadataCategory = "Oversize metadata";

    private const int MetadataLimitBytes = 64 * 1024;
    private const int MetadataLimitEntries = 100;

    private static IEnumerable<BadInputCase> OversizeMetadata()
    {
        // A large token is realistic (many scopes or group claims): 30 KB is served.
        yield return new BadInputCase(OversizeMetadataCategory, "getOrder: a 30 KB metadata value is accepted", "getOrder",
            Call((client, headers) => client.getOrderAsync(new StringValue { Value = "101" }, headers).ResponseAsync, With("x-large-token", new string('t', 30 * 1024))),
            StatusCode.OK, "");

        var overSize = With("x-padding", new string('p', MetadataLimitBytes));
        const string sizeMessage = "bytes; at most 65536 are accepted (Orders:Metadata:MaxTotalBytes).";
        (string Rpc, Func<Ecommerce.OrderManagement.OrderManagementClient, Metadata, Task> Send, string[]? NotStored)[] calls =
        [
            ("addOrder", (client, headers) => client.addOrderAsync(ValidOrder(), headers).ResponseAsync, null),
            ("getOrder", (client, headers) => client.getOrderAsync(new StringValue { Value = "101" }, headers).ResponseAsync, null),
            ("searchOrders", (client, headers) => SearchOrders(client, headers, ""), null),
            ("deleteOrder", (client, headers) => client.deleteOrderAsync(new StringValue { Value = "no-such-order" }, headers).ResponseAsync, null),
            ("updateOrders", (client, headers) => UpdateOrders(client, headers, [ValidOrder("kept-out-metadata")]), ["kept-out-metadata"]),
            ("processOrders", (client, headers) => ProcessOrders(client, headers, "101"), null),
        ];
        foreach (var (rpc, send, notStored) in calls)
        {
            yield return new BadInputCase(OversizeMetadataCategory, $"{rpc}: metadata over {MetadataLimitBytes} bytes", rpc,
                Call(send, overSize), StatusCode.ResourceExhausted, sizeMessage, NotStored: notStored);
        }

        var manyEntries = Enumerable.Range(0, 1000).ToDictionary(i => $"x-entry-{i}", i => "v");
        const string countMessage = "metadata entries; at most 100 are accepted (Orders:Metadata:MaxEntries).";
        yield return new BadInputCase(OversizeMetadataCategory, "getOrder: 1,000 metadata entries", "getOrder",
            Call((client, headers) => client.getOrderAsync(new StringValue { Value = "101" }, headers).ResponseAsync, manyEntries),
            StatusCode.ResourceExhausted, countMessage);
        yield return new BadInputCase(OversizeMetadataCategory, "updateOrders: 1,000 metadata entries", "updateOrders",
            Call((client, headers) => UpdateOrders(client, headers, [ValidOrder("kept-out-entries")]), manyEntries),
            StatusCode.ResourceExhausted, countMessage, NotStored: ["kept-out-entries"]);
        yield return new BadInputCase(OversizeMetadataCategory, $"getOrder: {MetadataLimitEntries + 1} metadata entries", "getOrder",
            Call((client, headers) => client.getOrderAsync(new StringValue { Value = "101" }, headers).ResponseAsync,
                Enumerable.Range(0, MetadataLimitEntries + 1).ToDictionary(i => $"x-entry-{i}", i => "v")),
            StatusCode.ResourceExhausted, countMessage);
    }
}
