using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Orders.Client.Output;
using Orders.Client.Scenario;

namespace Orders.Tests.Client;

/// <summary>What <c>--json</c> prints for each kind of result: one compact JSON object per line, every line exactly.</summary>
public sealed class JsonOutputTests : IDisposable
{
    private readonly StringWriter stdout = new();

    private JsonOutput Output => new(stdout);

    private string[] Lines => stdout.ToString().Split(Environment.NewLine);

    public void Dispose() => stdout.Dispose();

    [Fact]
    public void AnOrderIsItsProtobufJson_WithEveryFieldEvenWhenEmpty()
    {
        Output.Order(new Order { Id = "101", Items = { "Item - A", "Item \"B\" é" }, Price = 42.5f, Description = "d", Destination = "Mountain View, CA" });
        Output.Order(new Order { Id = "7" });

        Assert.Equal(
            [
                """{"id":"101","items":["Item - A","Item \"B\" é"],"description":"d","price":42.5,"destination":"Mountain View, CA"}""",
                """{"id":"7","items":[],"description":"","price":0,"destination":""}""",
                "",
            ],
            Lines);
    }

    [Fact]
    public void AShipmentIsItsProtobufJson()
    {
        Output.Shipment(new CombinedShipment { Id = "s-1", Status = "CREATED", OrdersList = { new Order { Id = "102", Items = { "Item - C" }, Price = 1, Destination = "San Jose, CA" } } });

        Assert.Equal(
            [
                """{"id":"s-1","status":"CREATED","ordersList":[{"id":"102","items":["Item - C"],"description":"","price":1,"destination":"San Jose, CA"}]}""",
                "",
            ],
            Lines);
    }

    [Fact]
    public void EachOneWordResultIsAnObjectNamingWhatHappened()
    {
        Output.OrderAdded("a-1");
        Output.OrdersUpdated("Updated IDs: 101 102");
        Output.OrderDeleted("a-1");
        Output.UsageError("--deadline: 'soon' is not a duration (use e.g. 250ms, 5s, 1m, 1h).");

        Assert.Equal(
            [
                """{"id":"a-1"}""",
                """{"reply":"Updated IDs: 101 102"}""",
                """{"deleted":"a-1"}""",
                """{"error":{"code":"USAGE","message":"--deadline: 'soon' is not a duration (use e.g. 250ms, 5s, 1m, 1h)."}}""",
                "",
            ],
            Lines);
    }

    [Fact]
    public void AnErrorCarriesItsCodeStatusMessageAndEveryDetailWithDefaults()
    {
        var error = new Google.Rpc.Status
        {
            Code = (int)Code.NotFound,
            Message = "Order 7 not found.",
            Details =
            {
                Any.Pack(new ResourceInfo { ResourceType = "order", ResourceName = "7", Description = "Order 7 not found." }),
                Any.Pack(new DebugInfo { Detail = "store" }),
            },
        }.ToRpcException();

        Output.RpcError(error);
        Output.RpcError(new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "")));

        Assert.Equal(
            [
                """{"error":{"code":"NOT_FOUND","status":5,"message":"Order 7 not found.","details":[{"@type":"type.googleapis.com/google.rpc.ResourceInfo","resourceType":"order","resourceName":"7","owner":"","description":"Order 7 not found."},{"@type":"type.googleapis.com/google.rpc.DebugInfo","stackEntries":[],"detail":"store"}]}}""",
                """{"error":{"code":"DEADLINE_EXCEEDED","status":4,"message":"","details":[]}}""",
                "",
            ],
            Lines);
    }

    [Fact]
    public void AnErrorBeforeTheServiceWasReachedCarriesItsHint()
    {
        Output.RpcError(RpcErrorOutputTests.TlsHandshakeFailure("Cannot determine the frame size or a corrupted frame was received."));

        Assert.Equal(
            [
                """{"error":{"code":"UNAVAILABLE","status":14,"message":"Error starting gRPC call.","details":[],"hint":"the TLS handshake failed: a server that speaks plain HTTP/2 (h2c, as Orders.Api does unless TLS is configured) needs an http:// address."}}""",
                "",
            ],
            Lines);
    }

    [Fact]
    public void AScenarioStepAndTheRunSummary()
    {
        var passed = new ScenarioStepResult(1, "get 101", "OK", "OK", true, TimeSpan.FromMilliseconds(12.345), "items Item - A");
        var failed = new ScenarioStepResult(2, "get 101 after delete", "NOT_FOUND", "OK", false, TimeSpan.FromMilliseconds(3), "still there: 101");

        Output.ScenarioStep(passed);
        Output.ScenarioStep(failed);
        Output.ScenarioStep(passed with { Number = 3, Detail = null });
        Output.ScenarioSummary(new ScenarioRunResult(2, [passed, failed], TimeSpan.FromMilliseconds(20.06)));
        Output.ScenarioSummary(new ScenarioRunResult(3, [passed], TimeSpan.FromMilliseconds(12.345)));

        Assert.Equal(
            [
                """{"step":1,"name":"get 101","expected":"OK","actual":"OK","passed":true,"elapsedMs":12.3,"detail":"items Item - A"}""",
                """{"step":2,"name":"get 101 after delete","expected":"NOT_FOUND","actual":"OK","passed":false,"elapsedMs":3,"detail":"still there: 101"}""",
                """{"step":3,"name":"get 101","expected":"OK","actual":"OK","passed":true,"elapsedMs":12.3}""",
                """{"summary":{"run":2,"passed":false,"stepsPassed":1,"steps":2,"elapsedMs":20.1}}""",
                """{"summary":{"run":3,"passed":true,"stepsPassed":1,"steps":1,"elapsedMs":12.3}}""",
                "",
            ],
            Lines);
    }
}
