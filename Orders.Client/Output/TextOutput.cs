using System.Globalization;
using System.Text;
using Ecommerce;
using Grpc.Core;
using Orders.Client.Scenario;
using OrdersAspire.Shared;

namespace Orders.Client.Output;

/// <summary>
/// Human-readable output: results on stdout, errors on stderr. What the server sent is printed escaped
/// (<see cref="PrintableText"/>): stored orders are anyone's text, and must not move the terminal's cursor.
/// </summary>
public sealed class TextOutput(TextWriter stdout, TextWriter stderr) : ICommandOutput
{
    private static readonly CompositeFormat StepRow = CompositeFormat.Parse("{0,3}  {1,-44} {2,-18} {3,-18} {4,-5} {5,10}");

    public void Order(Order order) =>
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Order {PrintableText.Escape(order.Id)}: items=[{string.Join(", ", order.Items.Select(PrintableText.Escape))}] price={order.Price} description=\"{PrintableText.Escape(order.Description)}\" destination=\"{PrintableText.Escape(order.Destination)}\""));

    public void OrderAdded(string id) => stdout.WriteLine($"Added order {PrintableText.Escape(id)}");

    public void OrdersUpdated(string reply) => stdout.WriteLine(PrintableText.Escape(reply));

    public void Shipment(CombinedShipment shipment)
    {
        var destination = shipment.OrdersList.FirstOrDefault()?.Destination is { Length: > 0 } d ? $" to \"{d}\"" : "";
        stdout.WriteLine(PrintableText.Escape($"Shipment {shipment.Id} {shipment.Status}{destination}: orders {string.Join(", ", shipment.OrdersList.Select(o => o.Id))}"));
    }

    public void OrderDeleted(string id) => stdout.WriteLine($"Deleted order {PrintableText.Escape(id)}");

    public void RpcError(RpcException exception)
    {
        var lines = RpcErrorDescriber.Describe(exception);
        stderr.WriteLine($"ERROR: {lines[0]}");
        foreach (var line in lines.Skip(1))
        {
            stderr.WriteLine(line);
        }
    }

    public void UsageError(string message) => stderr.WriteLine($"usage error: {message}");

    public void ScenarioStep(ScenarioStepResult result)
    {
        var detail = result.Detail is { Length: > 0 } ? $"  ({PrintableText.Escape(result.Detail)})" : "";
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{result.Number,2}] {(result.Passed ? "PASS" : "FAIL")}  {result.Name}: expected {result.Expected}, got {result.Actual} in {result.Elapsed.TotalMilliseconds:0.0} ms{detail}"));
    }

    public void ScenarioSummary(ScenarioRunResult run)
    {
        stdout.WriteLine();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Scenario run {run.Iteration}:"));
        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, StepRow, "#", "step", "expected", "actual", "ok", "elapsed"));
        foreach (var step in run.Steps)
        {
            stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, StepRow,
                step.Number, step.Name, step.Expected, step.Actual, step.Passed ? "PASS" : "FAIL", $"{step.Elapsed.TotalMilliseconds:0.0} ms"));
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run.Steps.Count(s => s.Passed)}/{run.Steps.Count} steps passed in {run.Elapsed.TotalMilliseconds:0} ms"));
    }
}
