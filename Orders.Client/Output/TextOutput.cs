using System.Globalization;
using System.Text;
using Ecommerce;
using Grpc.Core;
using Orders.Client.Scenario;

namespace Orders.Client.Output;

/// <summary>Human-readable output: results on stdout, errors on stderr.</summary>
public sealed class TextOutput(TextWriter stdout, TextWriter stderr) : ICommandOutput
{
    private static readonly CompositeFormat StepRow = CompositeFormat.Parse("{0,3}  {1,-44} {2,-18} {3,-18} {4,-5} {5,10}");

    public void Order(Order order) =>
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Order {order.Id}: items=[{string.Join(", ", order.Items)}] price={order.Price} description=\"{order.Description}\" destination=\"{order.Destination}\""));

    public void OrderAdded(string id) => stdout.WriteLine($"Added order {id}");

    public void OrdersUpdated(string reply) => stdout.WriteLine(reply);

    public void Shipment(CombinedShipment shipment)
    {
        var destination = shipment.OrdersList.FirstOrDefault()?.Destination is { Length: > 0 } d ? $" to \"{d}\"" : "";
        stdout.WriteLine($"Shipment {shipment.Id} {shipment.Status}{destination}: orders {string.Join(", ", shipment.OrdersList.Select(o => o.Id))}");
    }

    public void OrderDeleted(string id) => stdout.WriteLine($"Deleted order {id}");

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
        var detail = result.Detail is { Length: > 0 } ? $"  ({result.Detail})" : "";
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
