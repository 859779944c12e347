using Ecommerce;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
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
    private const int Limit = 4 * 1024 * 1024;

    /// <summary>Zeros one byte over the limit, gzipped to a few kilobytes. Initialized before <see cref="All"/>, which uses it.</summary>
    private static readonly byte[] GzipBomb = RawGrpcFrames.Gzip(new byte[Limit + 1]);

    public static IReadOnlyList<BadInputCase> All { get; } =
        [.. MalformedSingleMessages(), .. MalformedStreamMessages(), .. InvalidFieldValues(), .. OversizeMessages(), .. BadMetadata(), .. NotACallOfTheService()];

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

    private static async Task UpdateOrders(OrderManagementClient client, Metadata headers, IEnumerable<Order> orders)
    {
        using var call = client.updateOrders(headers);
        try
        {
            foreach (var order in orders)
            {
                await call.RequestStream.WriteAsync(order);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server may answer before the client has sent everything; its answer is the call's status.
        }

        await call;
    }

    private static async Task ProcessOrders(OrderManagementClient client, Metadata headers, params string[] ids)
    {
        using var call = client.processOrders(headers);
        foreach (var id in ids)
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = id });
        }

        await call.RequestStream.CompleteAsync();
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
        }
    }

    private static async Task SearchOrders(OrderManagementClient client, Metadata headers, string query)
    {
        using var call = client.searchOrders(new StringValue { Value = query }, headers);
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
        }
    }

    private static Order ValidOrder(string id = "") => new() { Id = id, Items = { "Item - A" }, Price = 1 };

    private static byte[] Bytes(IMessage message) => message.ToByteArray();

    private static Dictionary<string, string> With(string header, string value) => new() { [header] = value };
}
