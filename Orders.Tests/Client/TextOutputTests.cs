using Ecommerce;
using Orders.Client.Output;

namespace Orders.Tests.Client;

/// <summary>The CLI's text output prints what the server sent escaped: a stored order is anyone's text.</summary>
public sealed class TextOutputTests
{
    [Fact]
    public void AnOrderAndAShipmentArePrintedEscaped()
    {
        using var stdout = new StringWriter();
        var output = new TextOutput(stdout, TextWriter.Null);
        var order = new Order { Id = "a\nb", Items = { "\u001B]0;pwned\u0007" }, Price = 1, Description = "d\r", Destination = "\u009B2J" };

        output.Order(order);
        output.Shipment(new CombinedShipment { Id = "s", Status = "NOT_FOUND", OrdersList = { order } });

        Assert.Equal(
            [@"Order a\nb: items=[\u001B]0;pwned\u0007] price=1 description=""d\r"" destination=""\u009B2J""", @"Shipment s NOT_FOUND to ""\u009B2J"": orders a\nb", ""],
            stdout.ToString().Split(Environment.NewLine));
    }
}
