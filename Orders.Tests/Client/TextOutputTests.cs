using Ecommerce;
using Orders.Client.Output;
using Orders.Client.Scenario;

namespace Orders.Tests.Client;

/// <summary>The CLI's text output, line by line; it prints what the server sent escaped: a stored order is anyone's text.</summary>
public sealed class TextOutputTests : IDisposable
{
    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();

    private TextOutput Output => new(stdout, stderr);

    private static string[] LinesOf(StringWriter writer) => writer.ToString().Split(Environment.NewLine);

    public void Dispose()
    {
        stdout.Dispose();
        stderr.Dispose();
    }

    [Fact]
    public void AnOrderAndAShipmentArePrintedEscaped()
    {
        var order = new Order { Id = "a\nb", Items = { "\u001B]0;pwned\u0007" }, Price = 1, Description = "d\r", Destination = "\u009B2J" };

        Output.Order(order);
        Output.Shipment(new CombinedShipment { Id = "s", Status = "NOT_FOUND", OrdersList = { order } });

        Assert.Equal(
            [@"Order a\nb: items=[\u001B]0;pwned\u0007] price=1 description=""d\r"" destination=""\u009B2J""", @"Shipment s NOT_FOUND to ""\u009B2J"": orders a\nb", ""],
            LinesOf(stdout));
    }

    [Fact]
    public void EachResultIsOneLineOnStdout()
    {
        Output.Order(new Order { Id = "101", Items = { "Item - A", "Item - B" }, Price = 42.5f, Description = "Sample", Destination = "" });
        Output.OrderAdded("a-1");
        Output.OrdersUpdated("Updated IDs: 101 102");
        Output.Shipment(new CombinedShipment
        {
            Id = "s-1", Status = "CREATED",
            OrdersList = { new Order { Id = "101", Destination = "Mountain View, CA" }, new Order { Id = "103", Destination = "Mountain View, CA" } },
        });
        Output.Shipment(new CombinedShipment { Id = "s-2", Status = "CREATED", OrdersList = { new Order { Id = "104" } } });
        Output.Shipment(new CombinedShipment { Id = "s-3", Status = "NOT_FOUND" });
        Output.OrderDeleted("a-1");

        Assert.Equal(
            [
                @"Order 101: items=[Item - A, Item - B] price=42.5 description=""Sample"" destination=""""",
                "Added order a-1",
                "Updated IDs: 101 102",
                @"Shipment s-1 CREATED to ""Mountain View, CA"": orders 101, 103",
                "Shipment s-2 CREATED: orders 104",
                "Shipment s-3 NOT_FOUND: orders ",
                "Deleted order a-1",
                "",
            ],
            LinesOf(stdout));
        Assert.Empty(stderr.ToString());
    }

    [Fact]
    public void AUsageErrorIsOneLineOnStderr()
    {
        Output.UsageError("--deadline: 'soon' is not a duration (use e.g. 250ms, 5s, 1m, 1h).");

        Assert.Equal(["usage error: --deadline: 'soon' is not a duration (use e.g. 250ms, 5s, 1m, 1h).", ""], LinesOf(stderr));
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public void AScenarioStepIsOneLine_WithItsDetailWhenItHasOne()
    {
        Output.ScenarioStep(new ScenarioStepResult(1, "get 101", "OK", "OK", true, TimeSpan.FromMilliseconds(12.345), "items Item - A"));
        Output.ScenarioStep(new ScenarioStepResult(10, "get 101 after delete", "NOT_FOUND", "OK", false, TimeSpan.FromMilliseconds(3), "still there: 101\n"));
        Output.ScenarioStep(new ScenarioStepResult(3, "delete 101", "OK", "OK", true, TimeSpan.FromMilliseconds(0.04), ""));
        Output.ScenarioStep(new ScenarioStepResult(4, "delete 101", "OK", "OK", true, TimeSpan.FromMilliseconds(1), null));

        Assert.Equal(
            [
                "[ 1] PASS  get 101: expected OK, got OK in 12.3 ms  (items Item - A)",
                @"[10] FAIL  get 101 after delete: expected NOT_FOUND, got OK in 3.0 ms  (still there: 101\n)",
                "[ 3] PASS  delete 101: expected OK, got OK in 0.0 ms",
                "[ 4] PASS  delete 101: expected OK, got OK in 1.0 ms",
                "",
            ],
            LinesOf(stdout));
    }

    [Fact]
    public void TheSummaryIsATableOfEveryStepAndTheCountPassed()
    {
        var passed = new ScenarioStepResult(1, "get 101", "OK", "OK", true, TimeSpan.FromMilliseconds(12.345), "items Item - A");
        var failed = new ScenarioStepResult(2, "get 101 after delete", "NOT_FOUND", "OK", false, TimeSpan.FromMilliseconds(3), "still there: 101");

        Output.ScenarioSummary(new ScenarioRunResult(4, [passed, failed], TimeSpan.FromMilliseconds(20.6)));

        Assert.Equal(
            [
                "",
                "Scenario run 4:",
                "  #  step                                         expected           actual             ok       elapsed",
                "  1  get 101                                      OK                 OK                 PASS     12.3 ms",
                "  2  get 101 after delete                         NOT_FOUND          OK                 FAIL      3.0 ms",
                "1/2 steps passed in 21 ms",
                "",
            ],
            LinesOf(stdout));
    }
}
