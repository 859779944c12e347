using Ecommerce;
using Grpc.Core;
using Orders.Client.Scenario;

namespace Orders.Client.Output;

/// <summary>Where command results go: human-readable text, or one JSON object per message (<c>--json</c>).</summary>
public interface ICommandOutput
{
    void Order(Order order);

    void OrderAdded(string id);

    void OrdersUpdated(string reply);

    void Shipment(CombinedShipment shipment);

    void OrderDeleted(string id);

    void RpcError(RpcException exception);

    void UsageError(string message);

    void ScenarioStep(ScenarioStepResult result);

    void ScenarioSummary(ScenarioRunResult run);
}
