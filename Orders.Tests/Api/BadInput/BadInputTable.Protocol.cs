using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Orders.Tests.Infrastructure.RawGrpcFrames;

namespace Orders.Tests.Api.BadInput;

/// <summary>Bad request metadata, and requests that are not a call of the service at all.</summary>
public static partial class BadInputTable
{
    public const string MetadataCategory = "Bad metadata";
    public const string NotACallCategory = "Not a call of the service";

    private static IEnumerable<BadInputCase> BadMetadata()
    {
        const string invalidDelay = "Invalid x-orders-delay-ms header. x-orders-delay-ms: Must be a whole number of milliseconds from 0 to 60000.";
        (string Rpc, string Value, Func<OrderManagement.OrderManagementClient, Metadata, Task> Call)[] delays =
        [
            ("getOrder", "soon", (client, headers) => client.getOrderAsync(new StringValue { Value = "101" }, headers).ResponseAsync),
            ("addOrder", "-5", (client, headers) => client.addOrderAsync(ValidOrder(), headers).ResponseAsync),
            ("searchOrders", "60001", (client, headers) => SearchOrders(client, headers, "")),
            ("deleteOrder", "1.5", (client, headers) => client.deleteOrderAsync(new StringValue { Value = "101" }, headers).ResponseAsync),
            ("updateOrders", "99999999999999999999", (client, headers) => UpdateOrders(client, headers, [ValidOrder("kept-out-7")])),
            ("processOrders", "5ms", (client, headers) => ProcessOrders(client, headers, "101")),
            // More than Kestrel's stream window of ids, which the refusing server never reads: the status still reaches a client that is writing.
            ("processOrders", "7ms", (client, headers) => ProcessOrders(client, headers, [.. Enumerable.Repeat(new string('7', 4000), 300)])),
        ];
        foreach (var (rpc, value, call) in delays)
        {
            yield return new BadInputCase(MetadataCategory, $"{rpc}: x-orders-delay-ms '{value}'", rpc,
                Call(call, With("x-orders-delay-ms", value)), StatusCode.InvalidArgument, invalidDelay,
                NotStored: rpc == "updateOrders" ? ["kept-out-7"] : null);
        }

        // grpc-dotnet ignores a grpc-timeout it cannot parse (the call has no deadline), as it does an unparseable traceparent.
        var getSample = Bytes(new StringValue { Value = "101" });
        yield return new BadInputCase(MetadataCategory, "getOrder: grpc-timeout 'soon' is ignored", "getOrder",
            Raw("getOrder", Frame(getSample), With("grpc-timeout", "soon")), StatusCode.OK, "");
        yield return new BadInputCase(MetadataCategory, "getOrder: grpc-timeout of nine digits", "getOrder",
            Raw("getOrder", Frame(getSample), With("grpc-timeout", "123456789S")), StatusCode.OK, "");
        yield return new BadInputCase(MetadataCategory, "getOrder: a malformed traceparent is ignored", "getOrder",
            Raw("getOrder", Frame(getSample), With("traceparent", "00-not-a-trace-01")), StatusCode.OK, "");

        foreach (var row in ExpiredDeadlines())
        {
            yield return row;
        }
    }

    /// <summary>
    /// A grpc-timeout already over on arrival, which grpc-dotnet reads as no deadline when it rounds to zero ticks; the
    /// 2 s injected delay is work the call must not get. The .NET client never sends these, so they go raw.
    /// </summary>
    private static IEnumerable<BadInputCase> ExpiredDeadlines()
    {
        foreach (var timeout in new[] { "0n", "0S", "1n" })
        {
            var storedIfAccepted = $"expired-deadline-{timeout}";
            (string Rpc, byte[] Body, string[]? NotStored)[] calls =
            [
                ("addOrder", Frame(Bytes(ValidOrder())), null),
                ("getOrder", Frame(Bytes(new StringValue { Value = "101" })), null),
                ("searchOrders", Frame(Bytes(new StringValue())), null),
                ("deleteOrder", Frame(Bytes(new StringValue { Value = "no-such-order" })), null),
                ("updateOrders", Frame(Bytes(ValidOrder(storedIfAccepted))), [storedIfAccepted]),
                ("processOrders", Frame(Bytes(new StringValue { Value = "101" })), null),
            ];
            foreach (var (rpc, body, notStored) in calls)
            {
                yield return new BadInputCase(MetadataCategory, $"{rpc}: grpc-timeout {timeout} is a deadline already passed", rpc,
                    Raw(rpc, body, new Dictionary<string, string> { ["grpc-timeout"] = timeout, ["x-orders-delay-ms"] = "2000" }),
                    StatusCode.DeadlineExceeded, $"The call's deadline had passed when it arrived (grpc-timeout {timeout}).", NotStored: notStored);
            }
        }
    }

    private static IEnumerable<BadInputCase> NotACallOfTheService()
    {
        var body = Frame(Bytes(new StringValue { Value = "101" }));
        yield return new BadInputCase(NotACallCategory, "getOrder: content-type application/json", "getOrder",
            Raw("getOrder", body, contentType: "application/json"), StatusCode.Internal, "Content-Type 'application/json' is not supported.", Observed: false);
        yield return new BadInputCase(NotACallCategory, "getOrder: no content-type", "getOrder",
            Raw("getOrder", body, contentType: null), StatusCode.Internal, "Content-Type is missing from the request.", Observed: false);
        yield return new BadInputCase(NotACallCategory, "an unknown method", "noSuchMethod",
            Raw("noSuchMethod", body), StatusCode.Unimplemented, "Method is unimplemented.", Observed: false);
        yield return new BadInputCase(NotACallCategory, "an unknown service", "getOrder",
            Raw("getOrder", body, service: "ecommerce.NoSuchService"), StatusCode.Unimplemented, "Service is unimplemented.", Observed: false);
    }
}
