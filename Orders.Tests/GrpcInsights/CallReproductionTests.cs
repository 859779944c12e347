using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Reproduce;
using static Orders.Tests.GrpcInsights.RecordedCalls;

namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The shell lines built from a call's recorded request: the Orders.Client command and grpcurl with the call's address,
/// messages, deadline and allow-listed metadata; none when the request was not recorded whole.
/// </summary>
public sealed class CallReproductionTests
{
    private static readonly ReproduceOptions Options = new();

    [Fact]
    public void AGetOrderCall_IsOneClientLineAndOneGrpcurlLine_WithItsAddressDeadlineAndMetadata()
    {
        var call = Call("getOrder", "unary", ["\"101\""],
            server: [("rpc.grpc.deadline_ms", "245.5"), ("orders.request_id", "req-1"), ("rpc.grpc.request.metadata.x-orders-delay-ms", "300")]);

        var lines = CallReproduction.For(call, Options)!;

        Assert.Equal(
            "dotnet run --project Orders.Client -- --address http://127.0.0.1:5001 --deadline 245.5ms --header x-request-id=req-1 --header x-orders-delay-ms=300 get 101",
            lines.Client);
        Assert.Equal(
            "grpcurl -plaintext -max-time 0.2455 -H 'x-request-id: req-1' -H 'x-orders-delay-ms: 300' -d '\"101\"' 127.0.0.1:5001 ecommerce.OrderManagement/getOrder",
            lines.Grpcurl);
    }

    [Fact]
    public void TheClientsOwnDeadline_IsPreferredToWhatTheServerHadLeft()
    {
        var call = Call("getOrder", "unary", ["\"101\""], server: [("rpc.grpc.deadline_ms", "180")], client: [("rpc.grpc.deadline_ms", "250")]);

        var lines = CallReproduction.For(call, Options)!;

        Assert.Contains(" --deadline 250ms ", lines.Client, StringComparison.Ordinal);
        Assert.Contains(" -max-time 0.25 ", lines.Grpcurl, StringComparison.Ordinal);
    }

    [Fact]
    public void ACallWithoutADeadline_HasNoDeadlineFlags()
    {
        var lines = CallReproduction.For(Call("deleteOrder", "unary", ["\"104\""]), Options)!;

        Assert.Equal("dotnet run --project Orders.Client -- --address http://127.0.0.1:5001 delete 104", lines.Client);
        Assert.DoesNotContain("-max-time", lines.Grpcurl, StringComparison.Ordinal);
    }

    [Fact]
    public void ACallOutOfTimeOnArrival_IsRepeatedWithTheLeastDeadlineTheClientTakes()
    {
        var lines = CallReproduction.For(Call("getOrder", "unary", ["\"101\""], server: [("rpc.grpc.deadline_ms", "0")]), Options)!;

        Assert.Contains(" --deadline 1ms ", lines.Client, StringComparison.Ordinal);
        Assert.Contains(" -max-time 0.001 ", lines.Grpcurl, StringComparison.Ordinal);
    }

    [Fact]
    public void Streams_FeedTheirMessagesOnStdin()
    {
        string[] orders = ["{\"id\":\"1\",\"items\":[\"a\"]}", "{\"id\":\"2\",\"items\":[\"b\"]}"];
        var lines = CallReproduction.For(Call("updateOrders", "client_streaming", orders), Options)!;

        Assert.Equal(
            "printf '%s' '[{\"id\":\"1\",\"items\":[\"a\"]},{\"id\":\"2\",\"items\":[\"b\"]}]' | dotnet run --project Orders.Client -- --address http://127.0.0.1:5001 update -",
            lines.Client);
        Assert.Equal(
            "printf '%s' '{\"id\":\"1\",\"items\":[\"a\"]} {\"id\":\"2\",\"items\":[\"b\"]}' | grpcurl -plaintext -d @ 127.0.0.1:5001 ecommerce.OrderManagement/updateOrders",
            lines.Grpcurl);
    }

    [Fact]
    public void ProcessAndSearch_PutArgumentsThatLookLikeOptionsAfterDoubleDash()
    {
        var process = CallReproduction.For(Call("processOrders", "duplex_streaming", ["\"102\"", "\"-x\""]), Options)!;
        var search = CallReproduction.For(Call("searchOrders", "server_streaming", ["\"@file\""]), Options)!;

        Assert.EndsWith(" process -- 102 -x", process.Client, StringComparison.Ordinal);
        Assert.StartsWith("printf '%s' '\"102\" \"-x\"' | grpcurl ", process.Grpcurl, StringComparison.Ordinal);
        Assert.EndsWith(" search -- @file", search.Client, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOrderTheAddOptionsSayWhole_IsThoseOptions_AnyOtherIsOrderJson()
    {
        var plain = CallReproduction.For(Call("addOrder", "unary", ["{\"items\":[\"A b\",\"-c\"],\"price\":-1.5,\"destination\":\"X\"}"]), Options)!;
        var withId = CallReproduction.For(Call("addOrder", "unary", ["{\"id\":\"7\",\"items\":[\"A\"],\"price\":2}"]), Options)!;
        var nan = CallReproduction.For(Call("addOrder", "unary", ["{\"items\":[\"A\"],\"price\":\"NaN\"}"]), Options)!;

        Assert.EndsWith(" add '--item=A b' --item=-c --destination=X --price=-1.5", plain.Client, StringComparison.Ordinal);
        Assert.EndsWith(" add --order '{\"id\":\"7\",\"items\":[\"A\"],\"price\":2}'", withId.Client, StringComparison.Ordinal);
        Assert.EndsWith(" add --item=A --price=NaN", nan.Client, StringComparison.Ordinal);
    }

    [Fact]
    public void TheClientCommand_IsTheSetting()
    {
        var lines = CallReproduction.For(Call("getOrder", "unary", ["\"101\""]), new ReproduceOptions { ClientCommand = "dotnet /app/Orders.Client.dll" })!;

        Assert.StartsWith("dotnet /app/Orders.Client.dll --address ", lines.Client, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnAddressOnAnySpan_TheLinesCallOrdersApisDefaultAddress()
    {
        var lines = CallReproduction.For(Call("getOrder", "unary", ["\"101\""], client: [("server.address", ""), ("server.port", "")]), Options)!;

        Assert.Equal("dotnet run --project Orders.Client -- get 101", lines.Client);
        Assert.EndsWith(" localhost:50051 ecommerce.OrderManagement/getOrder", lines.Grpcurl, StringComparison.Ordinal);
    }

    [Fact]
    public void NoLines_WhenTheRequestWasNotCaptured_WasCapped_OrArrivedCut()
    {
        Assert.Null(CallReproduction.For(Call("getOrder", "unary", messages: null), Options));
        Assert.Null(CallReproduction.For(
            Call("updateOrders", "client_streaming", ["{\"id\":\"1\"}"], server: [("rpc.grpc.messages_capped", "true"), ("rpc.grpc.messages_left_out", "3")]), Options));
        // The insights cut a long attribute value and mark the cut with an ellipsis: no longer the message.
        Assert.Null(CallReproduction.For(Call("getOrder", "unary", ["\"10…"]), Options));
        Assert.Null(CallReproduction.For(Call("updateOrders", "client_streaming", ["{\"id\":\"1\"}", "{\"id\":\"2…"]), Options));
        // Two captured, one event arrived: a receiver's event limit dropped the other.
        Assert.Null(CallReproduction.For(Call("updateOrders", "client_streaming", ["{\"id\":\"1\"}"], server: [("rpc.grpc.messages_captured", "2")]), Options));
    }

    [Fact]
    public void AHeaderTheSpanHoldsEscaped_IsLeftOut_ForItIsNotTheValueSent()
    {
        var lines = CallReproduction.For(Call("getOrder", "unary", ["\"101\""], server: [("orders.request_id", @"id\u001B"), ("rpc.grpc.request.metadata.x-orders-delay-ms", "5")]), Options)!;

        Assert.DoesNotContain("x-request-id", lines.Client, StringComparison.Ordinal);
        Assert.DoesNotContain("x-request-id", lines.Grpcurl, StringComparison.Ordinal);
        Assert.Contains(" --header x-orders-delay-ms=5 ", lines.Client, StringComparison.Ordinal);
    }

    [Fact]
    public void ACappedRequest_SaysHowManyMessagesWereLeftOut()
    {
        var call = Call("updateOrders", "client_streaming", ["{\"id\":\"1\"}"], server: [("rpc.grpc.messages_capped", "true"), ("rpc.grpc.messages_left_out", "3")]);

        Assert.Equal((true, 3L), (call.Request!.Capped, call.Request.LeftOut));
    }

    [Fact]
    public void AnotherServicesCall_HasAGrpcurlLineOnly()
    {
        var call = Call("getOrder", "unary", ["\"101\""]) with { Method = "other.Service/getOrder" };

        var lines = CallReproduction.For(call, Options)!;

        Assert.Null(lines.Client);
        Assert.EndsWith(" other.Service/getOrder", lines.Grpcurl, StringComparison.Ordinal);
    }
}
