using Ecommerce;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orders.Client.Calls;
using Orders.Tests.Infrastructure;
using static Ecommerce.OrderManagement;

namespace Orders.Tests.Api.BadInput;

/// <summary>
/// Every bad-input case against Orders.Api, by category (docs/contract.md, Bad input). Each row is one test case of
/// <see cref="BadInputTests"/>; the rows are built by the partial files next to this one.
/// </summary>
public static partial class BadInputTable
{
    /// <summary>grpc-dotnet's default MaxReceiveMessageSize, which Orders.Api keeps.</summary>
    public const int Limit = 4 * 1024 * 1024;

    /// <summary>Zeros one byte over the limit, gzipped to a few kilobytes. Initialized before <see cref="All"/>, which uses it.</summary>
    private static readonly byte[] GzipBomb = RawGrpcFrames.Gzip(new byte[Limit + 1]);

    public static IReadOnlyList<BadInputCase> All { get; } =
        [.. MalformedSingleMessages(), .. MalformedStreamMessages(), .. InvalidFieldValues(), .. OversizeMessages(), .. BadMetadata(), .. NotACallOfTheService(), .. OversizeMetadata(), .. NulCharacters()];

    public static BadInputCase Find(string name) => All.Single(c => c.Name == name);

    /// <summary>Sends a hand-built request body to <paramref name="method"/>.</summary>
    private static Func<BadInputServer, string, Task<CallOutcome>> Raw(
        string method, byte[] body, IReadOnlyDictionary<string, string>? headers = null, string? contentType = "application/grpc", string service = RawGrpc.Service) =>
        (server, requestId) => RawGrpc.SendAsync(server.Http, method, body, requestId, headers, contentType, service);

    /// <summary>Makes a call with the generated client, carrying the request id and <paramref name="headers"/>.</summary>
    private static Func<BadInputServer, string, Task<CallOutcome>> Call(
        Func<OrderManagementClient, Metadata, Task> call, IReadOnlyDictionary<string, string>? headers = null) =>
        async (server, requestId) =>
        {
            var metadata = new Metadata { { "x-request-id", requestId } };
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                metadata.Add(name, value);
            }

            try
            {
                await call(server.Client, metadata);
                return CallOutcome.Ok;
            }
            catch (RpcException error)
            {
                return CallOutcome.Of(error);
            }
        };

    // The streaming rows go through Orders.Client's calls: a write that fails because the server already ended the
    // call (it may answer mid-stream) is not the outcome; the call's own status, read next, is.
    private static Task<string> UpdateOrders(OrderManagementClient client, Metadata headers, IEnumerable<Order> orders) =>
        client.UpdateAsync(orders, new CallOptions(headers));

    private static Task ProcessOrders(OrderManagementClient client, Metadata headers, params string[] ids) =>
        client.ProcessAsync(ids, new CallOptions(headers), cancelAfter: null, keepRequestStreamOpen: false, onShipment: _ => { });

    private static Task SearchOrders(OrderManagementClient client, Metadata headers, string query) =>
        client.SearchAsync(query, new CallOptions(headers), onOrder: _ => { });

    private static Order ValidOrder(string id = "") => new() { Id = id, Items = { "Item - A" }, Price = 1 };

    private static byte[] Bytes(IMessage message) => message.ToByteArray();

    private static Dictionary<string, string> With(string header, string value) => new() { [header] = value };
}
